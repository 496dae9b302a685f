//! `portal-server seed --demo N`: deterministic, realistic demo notices.
//!
//! The same N and the same day give the same rows: names from common surnames and given names,
//! valid resident IDs and credit codes whose region matches the enforcing court, real-format case
//! numbers across many provinces, every list and behaviour, some deleted rows and some still in
//! their grace period (published in the future). A handful of fixed "showcase" subjects come first
//! so that the demo and the end-to-end tests can rely on them.

use chrono::{Days, NaiveDate};
use portal_core::{
    name::PersonName,
    notice::{Behaviour, ListKind, Notice, NoticeStatus, Performance, SubjectId, SubjectType},
    CaseNumber, CreditCode, IdNumber,
};

use super::store as notices;
use crate::db::Db;

/// A court: its name, its code in case numbers and the region code of its district.
pub(crate) struct Court {
    pub(crate) name: &'static str,
    pub(crate) code: &'static str,
    pub(crate) region: &'static str,
    pub(crate) city: &'static str,
}

pub(crate) const COURTS: &[Court] = &[
    Court {
        name: "宁波市象山县人民法院",
        code: "浙0225",
        region: "330225",
        city: "宁波",
    },
    Court {
        name: "杭州市西湖区人民法院",
        code: "浙0106",
        region: "330106",
        city: "杭州",
    },
    Court {
        name: "温州市鹿城区人民法院",
        code: "浙0302",
        region: "330302",
        city: "温州",
    },
    Court {
        name: "北京市朝阳区人民法院",
        code: "京0105",
        region: "110105",
        city: "北京",
    },
    Court {
        name: "上海市浦东新区人民法院",
        code: "沪0115",
        region: "310115",
        city: "上海",
    },
    Court {
        name: "广州市天河区人民法院",
        code: "粤0106",
        region: "440106",
        city: "广州",
    },
    Court {
        name: "深圳市南山区人民法院",
        code: "粤0305",
        region: "440305",
        city: "深圳",
    },
    Court {
        name: "成都市武侯区人民法院",
        code: "川0107",
        region: "510107",
        city: "成都",
    },
    Court {
        name: "武汉市江岸区人民法院",
        code: "鄂0102",
        region: "420102",
        city: "武汉",
    },
    Court {
        name: "南京市鼓楼区人民法院",
        code: "苏0106",
        region: "320106",
        city: "南京",
    },
    Court {
        name: "郑州市金水区人民法院",
        code: "豫0105",
        region: "410105",
        city: "郑州",
    },
    Court {
        name: "西安市雁塔区人民法院",
        code: "陕0113",
        region: "610113",
        city: "西安",
    },
    Court {
        name: "长沙市岳麓区人民法院",
        code: "湘0104",
        region: "430104",
        city: "长沙",
    },
    Court {
        name: "福州市鼓楼区人民法院",
        code: "闽0102",
        region: "350102",
        city: "福州",
    },
    Court {
        name: "济南市历下区人民法院",
        code: "鲁0102",
        region: "370102",
        city: "济南",
    },
    Court {
        name: "重庆市渝北区人民法院",
        code: "渝0112",
        region: "500112",
        city: "重庆",
    },
    Court {
        name: "昆明市五华区人民法院",
        code: "云0102",
        region: "530102",
        city: "昆明",
    },
    Court {
        name: "合肥市蜀山区人民法院",
        code: "皖0104",
        region: "340104",
        city: "合肥",
    },
    Court {
        name: "南宁市青秀区人民法院",
        code: "桂0103",
        region: "450103",
        city: "南宁",
    },
    Court {
        name: "哈尔滨市南岗区人民法院",
        code: "黑0103",
        region: "230103",
        city: "哈尔滨",
    },
    Court {
        name: "乌鲁木齐市天山区人民法院",
        code: "新0102",
        region: "650102",
        city: "乌鲁木齐",
    },
];

/// Surnames with their share of the population in hundredths of a percent (rounded from the 2020
/// census's top surnames), so that names repeat as on the real list: 王, 李 and 张 alone are a
/// fifth of all people.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 712),
    ("李", 700),
    ("张", 674),
    ("刘", 538),
    ("陈", 453),
    ("杨", 308),
    ("黄", 223),
    ("赵", 219),
    ("吴", 205),
    ("周", 191),
    ("徐", 148),
    ("孙", 146),
    ("马", 144),
    ("朱", 128),
    ("胡", 125),
    ("郭", 115),
    ("何", 112),
    ("林", 107),
    ("高", 103),
    ("罗", 97),
    ("郑", 93),
    ("梁", 91),
    ("谢", 80),
    ("宋", 73),
    ("唐", 72),
    ("韩", 68),
    ("冯", 67),
    ("于", 66),
    ("董", 65),
    ("程", 62),
    ("曹", 61),
    ("袁", 60),
    ("邓", 59),
    ("许", 58),
    ("傅", 56),
    ("沈", 55),
    ("曾", 54),
    ("彭", 53),
    ("吕", 52),
    ("苏", 51),
    ("卢", 50),
    ("蒋", 49),
    ("蔡", 48),
    ("贾", 47),
    ("丁", 46),
    ("魏", 45),
    ("薛", 44),
    ("叶", 43),
    ("阎", 42),
    ("余", 41),
    ("潘", 40),
    ("杜", 39),
    ("戴", 38),
    ("夏", 37),
    ("钟", 36),
    ("汪", 35),
    ("田", 34),
    ("任", 33),
    ("姜", 32),
    ("范", 31),
    ("方", 30),
    ("石", 29),
    ("姚", 28),
    ("谭", 27),
    ("廖", 26),
    ("邹", 25),
    ("熊", 24),
    ("金", 23),
    ("陆", 22),
    ("郝", 21),
    ("孔", 20),
    ("白", 19),
    ("崔", 18),
    ("康", 17),
    ("毛", 16),
    ("邱", 15),
    ("秦", 14),
    ("江", 13),
    ("史", 12),
    ("顾", 11),
    ("侯", 10),
    ("邵", 10),
    ("孟", 10),
    ("龙", 10),
    ("万", 9),
    ("段", 9),
    ("雷", 9),
    ("钱", 8),
    ("汤", 8),
    ("尹", 8),
    ("黎", 7),
    ("易", 7),
    ("常", 7),
    ("武", 7),
    ("乔", 6),
    ("贺", 6),
    ("赖", 6),
    ("龚", 6),
    ("文", 6),
    ("欧阳", 3),
    ("司马", 1),
    ("诸葛", 1),
];
/// The commonest given names, commonest first: the n-th is chosen with probability 0.3 % / √n,
/// together about 4 % of people (张伟 and 王伟 are each about 0.02 % of the population).
const COMMON_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "志强", "海燕", "国强",
    "文", "辉", "鹏", "红", "玲", "晓东", "海峰", "春梅", "立新", "振华", "德胜", "永红", "宏伟",
    "爱华", "金凤", "俊杰", "子豪", "玉兰", "桂兰", "斌", "宇", "浩", "凯", "秀珍", "健", "俊",
    "帆", "雪", "慧", "鑫", "波", "婷",
];
/// Characters other given names are made of (one or two of them): most such names are rare.
const GIVEN_CHARS: &[&str] = &[
    "小", "明", "华", "国", "建", "文", "志", "海", "晓", "春", "玉", "金", "永", "德", "立", "振",
    "爱", "俊", "子", "宏", "秀", "桂", "丽", "红", "英", "兰", "梅", "凤", "珍", "云", "霞", "燕",
    "平", "东", "峰", "新", "胜", "军", "伟", "强", "勇", "刚", "杰", "涛", "斌", "鹏", "辉", "磊",
    "宇", "浩", "凯", "健", "帆", "雪", "慧", "鑫", "波", "婷", "静", "敏", "芳", "娜", "娟", "艳",
    "丹", "萍", "玲", "琳", "晶", "欣", "颖", "倩", "宁", "亮", "超", "洋", "阳", "林", "森", "天",
    "佳", "嘉", "思", "雨", "梓", "涵", "轩", "博", "睿", "怡", "诗", "悦", "瑞", "安", "泽", "晨",
    "宸", "一", "若", "可", "心", "语", "昊", "然", "铭", "豪", "家", "荣", "福", "贵", "成", "良",
    "忠", "义", "礼", "信", "仁", "和", "顺", "祥", "庆", "喜", "乐", "康", "寿", "长", "兴", "旺",
    "发", "达", "利", "财", "宝", "珠", "翠", "莲", "菊", "香", "月", "星", "光", "辰", "彬", "伦",
];
/// Uyghur and Tibetan given names and second parts, joined with the middle dot.
const MINORITY_FIRST: &[&str] = &[
    "阿依古丽",
    "艾力",
    "热依拉",
    "古丽娜尔",
    "买买提",
    "吐尔逊",
    "努尔",
    "帕提古丽",
    "依明",
    "阿布都",
];
const MINORITY_SECOND: &[&str] = &[
    "买买提",
    "吐尔逊",
    "艾尼瓦尔",
    "阿不都",
    "热合曼",
    "玉素甫",
    "卡德尔",
    "依明",
    "司马义",
    "托合提",
];
const TIBETAN: &[&str] = &[
    "扎西·多吉",
    "次仁·卓玛",
    "格桑·平措",
    "达瓦·次仁",
    "尼玛·拉姆",
];
const FIRM_WORDS: &[&str] = &[
    "海丰",
    "恒通",
    "鑫源",
    "华达",
    "瑞祥",
    "宏远",
    "金盛",
    "永兴",
    "东方",
    "天成",
    "博源",
    "嘉禾",
    "顺达",
    "利民",
    "新纪元",
    "中和",
];
const INDUSTRIES: &[&str] = &[
    "贸易",
    "建筑工程",
    "餐饮管理",
    "物流",
    "房地产开发",
    "科技",
    "水产",
    "机械制造",
    "装饰工程",
    "服装",
    "农业发展",
    "汽车销售",
    "船舶修造",
    "文化传媒",
];
const OBLIGATIONS: &[&str] = &[
    "支付货款人民币{}元及逾期付款利息",
    "归还借款本金人民币{}元及利息",
    "支付工程款人民币{}元",
    "支付劳动报酬人民币{}元",
    "赔偿经济损失人民币{}元",
    "支付租金人民币{}元并腾退房屋",
    "返还投资款人民币{}元",
    "支付抚养费人民币{}元",
];

/// SplitMix64: tiny, fast and fully deterministic across platforms.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The demo's most frequent person name (the commonest surname with the commonest given name):
/// about 0.02 % of people, so thousands of notices at ten million.
pub const COMMONEST_NAME: &str = "王伟";

/// Picks from `(item, weight)` pairs by weight.
fn weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u32)], total: u32) -> &'a str {
    let mut at = rng.below(u64::from(total)) as u32;
    for (item, weight) in items {
        if at < *weight {
            return item;
        }
        at -= weight;
    }
    items[0].0
}

fn person_name(rng: &mut Rng) -> String {
    match rng.below(1000) {
        0 | 1 => return format!("{}·{}", rng.pick(MINORITY_FIRST), rng.pick(MINORITY_SECOND)),
        2 => return (*rng.pick(TIBETAN)).to_owned(),
        _ => {}
    }
    static SURNAME_TOTAL: std::sync::LazyLock<u32> =
        std::sync::LazyLock::new(|| SURNAMES.iter().map(|(_, w)| w).sum());
    let surname = weighted(rng, SURNAMES, *SURNAME_TOTAL);
    // The commonest given names: rank n with probability 0.3 % / √n (in millionths).
    let mut at = rng.below(1_000_000) as f64;
    for (rank, given) in COMMON_GIVEN.iter().enumerate() {
        let p = 3_000.0 / ((rank + 1) as f64).sqrt();
        if at < p {
            return format!("{surname}{given}");
        }
        at -= p;
    }
    if rng.chance(25) {
        format!("{surname}{}", rng.pick(GIVEN_CHARS))
    } else {
        format!(
            "{surname}{}{}",
            rng.pick(GIVEN_CHARS),
            rng.pick(GIVEN_CHARS)
        )
    }
}

fn money(rng: &mut Rng) -> String {
    let yuan = (rng.below(2_000) + 3) * 1_000 + rng.below(10) * 100;
    portal_core::numbers::group_digits(yuan as i64)
}

/// A subject: who the notice is about.
#[derive(Clone)]
struct Subject {
    kind: SubjectType,
    name: String,
    id: SubjectId,
    legal_representative: Option<String>,
}

fn new_subject(rng: &mut Rng, court: &Court, serial: u64) -> Subject {
    if rng.chance(22) {
        let name = format!(
            "{}{}{}有限公司",
            court.city,
            rng.pick(FIRM_WORDS),
            rng.pick(INDUSTRIES)
        );
        // 91 = enterprise registered with market regulation; then the region, then a body that is
        // unique per serial, written in the GB 32100 alphabet.
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut body = format!("91{}", court.region);
        let mut n = serial * 7919 + rng.below(1_000);
        for _ in 0..9 {
            body.push(ALPHABET[(n % 31) as usize] as char);
            n /= 31;
        }
        Subject {
            kind: SubjectType::Organization,
            name,
            id: SubjectId::Organization(CreditCode::from_body(&body)),
            legal_representative: Some(person_name(rng)),
        }
    } else {
        let birth = date(1950, 1, 1) + Days::new(rng.below(365 * 50));
        Subject {
            kind: SubjectType::Person,
            name: person_name(rng),
            id: SubjectId::Person(IdNumber::from_parts(
                court.region,
                birth,
                rng.below(1000) as u16,
            )),
            legal_representative: None,
        }
    }
}

fn notice(
    rng: &mut Rng,
    subject: &Subject,
    court: &Court,
    serial: u32,
    today: NaiveDate,
) -> Notice {
    let year = 2018 + rng.below(8) as u16;
    let filed_on = date(year as i32, 1, 1) + Days::new(rng.below(360));
    let lists = match rng.below(10) {
        0..=3 => vec![ListKind::Dishonest, ListKind::Restricted],
        4..=5 => vec![ListKind::Restricted],
        6 => vec![ListKind::Dishonest],
        7 => vec![ListKind::Restricted, ListKind::Terminated],
        8 => vec![
            ListKind::Dishonest,
            ListKind::Restricted,
            ListKind::Terminated,
        ],
        _ => vec![ListKind::Terminated],
    };
    let behaviour = lists
        .contains(&ListKind::Dishonest)
        .then(|| *rng.pick(Behaviour::ALL));
    let mut published_on = filed_on + Days::new(30 + rng.below(400));
    if published_on > today {
        published_on = today - Days::new(1 + rng.below(30));
    }
    let status = if rng.chance(5) {
        NoticeStatus::Deleted
    } else {
        NoticeStatus::Active
    };
    // About 2% are decided but still inside the court's grace period.
    if status == NoticeStatus::Active && rng.chance(2) {
        published_on = today + Days::new(1 + rng.below(60));
    }
    let basis_year = year - 1 - rng.below(2) as u16;
    let (basis_number, basis_issuer) = if rng.chance(80) {
        let kind = rng.pick(&["民初", "民终", "商初", "民特"]);
        (
            format!(
                "({basis_year}){}{kind}{}号",
                court.code,
                100 + rng.below(9000)
            ),
            court.name.to_owned(),
        )
    } else {
        (
            format!(
                "{}仲裁字({basis_year})第{}号",
                court.city,
                10 + rng.below(900)
            ),
            format!("{}仲裁委员会", court.city),
        )
    };
    let case_type = if rng.chance(85) { "执" } else { "执恢" };
    Notice {
        case_number: CaseNumber::new(year, court.code, case_type, serial)
            .expect("generated case number is valid"),
        court: court.name.to_owned(),
        subject_type: subject.kind,
        name: PersonName::parse(&subject.name).expect("generated name is valid"),
        subject_id: subject.id.clone(),
        legal_representative: subject.legal_representative.clone(),
        basis_number,
        basis_issuer,
        filed_on,
        obligation: rng.pick(OBLIGATIONS).replace("{}", &money(rng)),
        performance: if rng.chance(60) {
            Performance::None
        } else {
            Performance::Partial
        },
        behaviour,
        lists,
        published_on,
        status,
    }
}

/// The fixed subjects the demo and the tests rely on: one listed person (陈小明), one company, one
/// minority name, one deleted listing and one in its grace period.
pub fn showcase(today: NaiveDate) -> Vec<Notice> {
    let person = |name: &str, region: &str, birth: NaiveDate, seq: u16| Subject {
        kind: SubjectType::Person,
        name: name.to_owned(),
        id: SubjectId::Person(IdNumber::from_parts(region, birth, seq)),
        legal_representative: None,
    };
    let fixed = |subject: Subject,
                 case: (u16, &str, u32),
                 court: &str,
                 lists: Vec<ListKind>,
                 status,
                 published_on| Notice {
        case_number: CaseNumber::new(case.0, case.1, "执", case.2).expect("valid"),
        court: court.to_owned(),
        subject_type: subject.kind,
        name: PersonName::parse(&subject.name).expect("valid"),
        subject_id: subject.id,
        legal_representative: subject.legal_representative,
        basis_number: format!("({}){}民初{}号", case.0 - 1, case.1, case.2 + 17),
        basis_issuer: court.to_owned(),
        filed_on: date(case.0 as i32, 3, 15),
        obligation: "支付货款人民币128,000元及逾期付款利息".to_owned(),
        performance: Performance::None,
        behaviour: lists
            .contains(&ListKind::Dishonest)
            .then_some(Behaviour::RefusesWithAbility),
        lists,
        published_on,
        status,
    };
    let company = Subject {
        kind: SubjectType::Organization,
        name: "宁波海丰贸易有限公司".to_owned(),
        id: SubjectId::Organization(CreditCode::from_body("91330225MA2H3K7P1")),
        legal_representative: Some("王海丰".to_owned()),
    };
    vec![
        fixed(
            person("陈小明", "330225", date(1985, 6, 12), 123),
            (2024, "浙0225", 1234),
            "宁波市象山县人民法院",
            vec![ListKind::Dishonest, ListKind::Restricted],
            NoticeStatus::Active,
            date(2024, 8, 1),
        ),
        fixed(
            company,
            (2023, "浙0225", 876),
            "宁波市象山县人民法院",
            vec![ListKind::Restricted, ListKind::Terminated],
            NoticeStatus::Active,
            date(2023, 11, 20),
        ),
        fixed(
            person("阿依古丽·买买提", "650102", date(1990, 2, 28), 246),
            (2025, "新0102", 512),
            "乌鲁木齐市天山区人民法院",
            vec![ListKind::Restricted],
            NoticeStatus::Active,
            date(2025, 5, 9),
        ),
        fixed(
            person("李建国", "330106", date(1972, 10, 3), 311),
            (2022, "浙0106", 4521),
            "杭州市西湖区人民法院",
            vec![ListKind::Dishonest, ListKind::Restricted],
            NoticeStatus::Deleted,
            date(2022, 9, 1),
        ),
        fixed(
            person("张伟强", "110105", date(1980, 1, 19), 55),
            (2026, "京0105", 9001),
            "北京市朝阳区人民法院",
            vec![ListKind::Dishonest, ListKind::Restricted],
            NoticeStatus::Active,
            today + Days::new(30),
        ),
    ]
}

/// The showcase subjects by role, as the end-to-end tests and the benchmark use them: name, full
/// ID number (or credit code) and case number.
pub fn showcase_json(today: NaiveDate) -> serde_json::Value {
    let notices = showcase(today);
    let subject = |n: &Notice| {
        serde_json::json!({
            "name": n.name.display(),
            "id": n.subject_id.as_str(),
            "case": n.case_number.as_str(),
        })
    };
    serde_json::json!({
        "listed": subject(&notices[0]),
        "company": subject(&notices[1]),
        "minority": subject(&notices[2]),
        "deleted": subject(&notices[3]),
        "grace": subject(&notices[4]),
    })
}

/// The demo notices: the showcase first, then generated ones, `count` in all; the same `count`
/// and day give the same notices.
pub struct DemoNotices {
    rng: Rng,
    made: usize,
    count: usize,
    subject: Option<Subject>,
    showcase: std::vec::IntoIter<Notice>,
    today: NaiveDate,
}

pub fn demo_notices(count: usize, today: NaiveDate) -> DemoNotices {
    let mut fixed = showcase(today);
    fixed.truncate(count);
    DemoNotices {
        rng: Rng(20_240_601),
        made: fixed.len(),
        count,
        subject: None,
        showcase: fixed.into_iter(),
        today,
    }
}

impl Iterator for DemoNotices {
    type Item = Notice;

    fn next(&mut self) -> Option<Notice> {
        if let Some(n) = self.showcase.next() {
            return Some(n);
        }
        if self.made >= self.count {
            return None;
        }
        let rng = &mut self.rng;
        let court = rng.pick(COURTS);
        // About one subject in six has more than one case.
        let s = match self.subject.take() {
            Some(s) if rng.chance(15) => s,
            _ => new_subject(rng, court, self.made as u64),
        };
        // Unique serials keep (case number, ID) unique however many notices are made.
        let serial = (self.made % 900_000) as u32 + 1_000;
        let n = notice(rng, &s, court, serial, self.today);
        self.subject = Some(s);
        self.made += 1;
        Some(n)
    }
}

/// Writes `count` demo notices as an import file (DESIGN §7.2, CSV with a header row), for
/// trying and measuring `import notices`.
pub fn write_demo_csv(
    count: usize,
    today: NaiveDate,
    out: impl std::io::Write,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    for n in demo_notices(count, today) {
        csv.serialize(n.to_row())?;
    }
    csv.flush()?;
    Ok(())
}

/// Generates `count` demo notices (the showcase first) and stores them in batches.
pub async fn insert_demo(db: &Db, count: usize, today: NaiveDate) -> anyhow::Result<()> {
    let mut made: usize = 0;
    let mut batch = Vec::with_capacity(10_000);
    for n in demo_notices(count, today) {
        batch.push(n);
        made += 1;
        if batch.len() >= 10_000 {
            notices::insert_batch(db, &batch).await?;
            batch.clear();
            if made.is_multiple_of(100_000) {
                eprintln!("  {made} / {count} notices");
            }
        }
    }
    notices::insert_batch(db, &batch).await?;
    notices::refresh_statistics(db).await?;
    Ok(())
}
