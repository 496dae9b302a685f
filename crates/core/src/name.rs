//! Names of people and organisations: the display form and the matching key.
//!
//! The same name reaches us typed on phones with different input methods, copied from documents in
//! traditional characters, with full-width letters, stray spaces or one of a dozen look-alike
//! middle dots (阿卜杜·热合曼). [`normalize_name`] maps all of these to one key so that a lookup
//! finds the listing; [`PersonName`] keeps what should be displayed.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ErrorCode, Invalid};
use crate::text::{fold_width, is_dot_variant, is_invisible, MIDDLE_DOT};

/// Longest accepted name, in characters (long organisation names included).
pub const MAX_NAME_CHARS: usize = 100;

/// The matching key of a name: full-width ASCII folded to ASCII, all whitespace (including the
/// ideographic space) and invisible characters removed, every middle-dot variant turned into
/// U+00B7, ASCII letters upper-cased, and traditional characters common in personal and company
/// names replaced by their simplified forms.
///
/// The key is for comparison only, never for display. The function is idempotent.
pub fn normalize_name(input: &str) -> String {
    input
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .map(|c| {
            if is_dot_variant(c) {
                MIDDLE_DOT
            } else if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                simplify(c)
            }
        })
        .collect()
}

/// The simplified form of a traditional character in [`TRADITIONAL_TO_SIMPLIFIED`], or `c`.
pub fn simplify(c: char) -> char {
    TRADITIONAL_TO_SIMPLIFIED
        .binary_search_by_key(&c, |&(t, _)| t)
        .map_or(c, |i| TRADITIONAL_TO_SIMPLIFIED[i].1)
}

/// Traditional → simplified for the characters common in Chinese personal and company names
/// (surnames, given names, business and place words), sorted by the traditional character.
///
/// Only unambiguous mappings are listed: characters that are also standard simplified characters
/// in names (乾, 於, 昇, 陞, 甦, 藉, 瞭 …) are left alone, and no simplified form is itself a key,
/// which keeps [`normalize_name`] idempotent. The mappings agree with the first candidate of
/// OpenCC's traditional-to-simplified character table.
#[rustfmt::skip]
pub const TRADITIONAL_TO_SIMPLIFIED: &[(char, char)] = &[
    ('亞', '亚'), ('來', '来'), ('倉', '仓'), ('個', '个'), ('們', '们'), ('倫', '伦'), ('偉', '伟'), ('傑', '杰'),
    ('備', '备'), ('傢', '家'), ('傳', '传'), ('億', '亿'), ('優', '优'), ('儲', '储'), ('內', '内'), ('兩', '两'),
    ('創', '创'), ('劉', '刘'), ('劍', '剑'), ('動', '动'), ('務', '务'), ('勝', '胜'), ('勞', '劳'), ('勳', '勋'),
    ('勵', '励'), ('匯', '汇'), ('區', '区'), ('厲', '厉'), ('參', '参'), ('吳', '吴'), ('員', '员'), ('問', '问'),
    ('啓', '启'), ('啟', '启'), ('喬', '乔'), ('單', '单'), ('嚴', '严'), ('國', '国'), ('園', '园'), ('圓', '圆'),
    ('圖', '图'), ('團', '团'), ('報', '报'), ('場', '场'), ('塗', '涂'), ('墻', '墙'), ('壇', '坛'), ('壩', '坝'),
    ('壽', '寿'), ('娛', '娱'), ('婁', '娄'), ('婭', '娅'), ('嫻', '娴'), ('嬋', '婵'), ('嬌', '娇'), ('孫', '孙'),
    ('學', '学'), ('實', '实'), ('寧', '宁'), ('審', '审'), ('寬', '宽'), ('寶', '宝'), ('將', '将'), ('對', '对'),
    ('層', '层'), ('屬', '属'), ('峯', '峰'), ('島', '岛'), ('峽', '峡'), ('嶺', '岭'), ('嶽', '岳'), ('師', '师'),
    ('幾', '几'), ('廈', '厦'), ('廟', '庙'), ('廠', '厂'), ('廣', '广'), ('廳', '厅'), ('張', '张'), ('強', '强'),
    ('從', '从'), ('愛', '爱'), ('慶', '庆'), ('憲', '宪'), ('憶', '忆'), ('應', '应'), ('懷', '怀'), ('戀', '恋'),
    ('擔', '担'), ('據', '据'), ('數', '数'), ('時', '时'), ('晉', '晋'), ('暉', '晖'), ('暢', '畅'), ('曄', '晔'),
    ('曉', '晓'), ('書', '书'), ('會', '会'), ('東', '东'), ('條', '条'), ('棗', '枣'), ('棟', '栋'), ('楊', '杨'),
    ('楓', '枫'), ('業', '业'), ('榮', '荣'), ('構', '构'), ('樂', '乐'), ('樑', '梁'), ('樓', '楼'), ('標', '标'),
    ('樣', '样'), ('樹', '树'), ('樺', '桦'), ('橋', '桥'), ('機', '机'), ('檢', '检'), ('檯', '台'), ('櫃', '柜'),
    ('欄', '栏'), ('權', '权'), ('歐', '欧'), ('歲', '岁'), ('歷', '历'), ('歸', '归'), ('殘', '残'), ('殺', '杀'),
    ('毀', '毁'), ('氣', '气'), ('決', '决'), ('沒', '没'), ('況', '况'), ('涼', '凉'), ('淨', '净'), ('淩', '凌'),
    ('淵', '渊'), ('淺', '浅'), ('減', '减'), ('渦', '涡'), ('測', '测'), ('湧', '涌'), ('湯', '汤'), ('準', '准'),
    ('溝', '沟'), ('溫', '温'), ('滄', '沧'), ('滅', '灭'), ('滙', '汇'), ('滬', '沪'), ('滯', '滞'), ('滿', '满'),
    ('漁', '渔'), ('漢', '汉'), ('漣', '涟'), ('潔', '洁'), ('潤', '润'), ('澤', '泽'), ('濃', '浓'), ('濕', '湿'),
    ('濟', '济'), ('濤', '涛'), ('濰', '潍'), ('濱', '滨'), ('濾', '滤'), ('瀅', '滢'), ('瀋', '沈'), ('瀟', '潇'),
    ('瀠', '潆'), ('瀾', '澜'), ('灑', '洒'), ('灘', '滩'), ('灝', '灏'), ('灣', '湾'), ('為', '为'), ('烏', '乌'),
    ('無', '无'), ('煉', '炼'), ('煒', '炜'), ('煙', '烟'), ('煥', '焕'), ('熱', '热'), ('熾', '炽'), ('燁', '烨'),
    ('燈', '灯'), ('燒', '烧'), ('營', '营'), ('燦', '灿'), ('爍', '烁'), ('爐', '炉'), ('爛', '烂'), ('爭', '争'),
    ('爺', '爷'), ('爾', '尔'), ('牆', '墙'), ('牽', '牵'), ('犧', '牺'), ('狀', '状'), ('獎', '奖'), ('獨', '独'),
    ('獲', '获'), ('獵', '猎'), ('獸', '兽'), ('獻', '献'), ('現', '现'), ('琿', '珲'), ('瑋', '玮'), ('瑣', '琐'),
    ('瑤', '瑶'), ('瑩', '莹'), ('瑪', '玛'), ('璣', '玑'), ('環', '环'), ('璽', '玺'), ('瓊', '琼'), ('瓏', '珑'),
    ('產', '产'), ('産', '产'), ('畝', '亩'), ('畢', '毕'), ('畫', '画'), ('當', '当'), ('疊', '叠'), ('療', '疗'),
    ('發', '发'), ('盡', '尽'), ('監', '监'), ('盤', '盘'), ('盧', '卢'), ('眞', '真'), ('眾', '众'), ('睜', '睁'),
    ('確', '确'), ('碼', '码'), ('礎', '础'), ('礦', '矿'), ('祿', '禄'), ('禍', '祸'), ('禎', '祯'), ('禕', '祎'),
    ('禪', '禅'), ('禮', '礼'), ('稅', '税'), ('種', '种'), ('積', '积'), ('穎', '颖'), ('穩', '稳'), ('窪', '洼'),
    ('窮', '穷'), ('竊', '窃'), ('競', '竞'), ('筆', '笔'), ('節', '节'), ('範', '范'), ('築', '筑'), ('簡', '简'),
    ('籃', '篮'), ('粵', '粤'), ('糧', '粮'), ('糾', '纠'), ('紀', '纪'), ('約', '约'), ('紅', '红'), ('純', '纯'),
    ('紙', '纸'), ('級', '级'), ('紛', '纷'), ('紡', '纺'), ('細', '细'), ('紹', '绍'), ('終', '终'), ('組', '组'),
    ('結', '结'), ('絕', '绝'), ('絡', '络'), ('給', '给'), ('統', '统'), ('絲', '丝'), ('綁', '绑'), ('經', '经'),
    ('綜', '综'), ('綠', '绿'), ('綢', '绸'), ('綫', '线'), ('維', '维'), ('綱', '纲'), ('網', '网'), ('綵', '彩'),
    ('綺', '绮'), ('綿', '绵'), ('緊', '紧'), ('線', '线'), ('緣', '缘'), ('練', '练'), ('縣', '县'), ('縱', '纵'),
    ('總', '总'), ('績', '绩'), ('織', '织'), ('繩', '绳'), ('繪', '绘'), ('繼', '继'), ('續', '续'), ('纏', '缠'),
    ('罰', '罚'), ('羅', '罗'), ('羣', '群'), ('羨', '羡'), ('義', '义'), ('習', '习'), ('翹', '翘'), ('聖', '圣'),
    ('聞', '闻'), ('聯', '联'), ('聰', '聪'), ('聲', '声'), ('聶', '聂'), ('職', '职'), ('聽', '听'), ('肅', '肃'),
    ('脅', '胁'), ('腦', '脑'), ('腸', '肠'), ('膚', '肤'), ('膠', '胶'), ('臉', '脸'), ('臨', '临'), ('臺', '台'),
    ('與', '与'), ('興', '兴'), ('舉', '举'), ('舊', '旧'), ('艦', '舰'), ('艱', '艰'), ('艷', '艳'), ('莊', '庄'),
    ('華', '华'), ('萬', '万'), ('葉', '叶'), ('蓋', '盖'), ('蓮', '莲'), ('蔣', '蒋'), ('蕪', '芜'), ('蕭', '萧'),
    ('薩', '萨'), ('藍', '蓝'), ('藝', '艺'), ('藥', '药'), ('蘇', '苏'), ('蘭', '兰'), ('處', '处'), ('號', '号'),
    ('蟲', '虫'), ('衆', '众'), ('術', '术'), ('衛', '卫'), ('衝', '冲'), ('補', '补'), ('裝', '装'), ('裡', '里'),
    ('製', '制'), ('複', '复'), ('見', '见'), ('親', '亲'), ('覺', '觉'), ('覽', '览'), ('觀', '观'), ('觸', '触'),
    ('訂', '订'), ('計', '计'), ('訊', '讯'), ('訓', '训'), ('託', '托'), ('記', '记'), ('設', '设'), ('許', '许'),
    ('訴', '诉'), ('診', '诊'), ('評', '评'), ('詞', '词'), ('詠', '咏'), ('詢', '询'), ('試', '试'), ('詩', '诗'),
    ('該', '该'), ('詳', '详'), ('誌', '志'), ('認', '认'), ('語', '语'), ('誠', '诚'), ('說', '说'), ('誼', '谊'),
    ('調', '调'), ('談', '谈'), ('請', '请'), ('論', '论'), ('諮', '咨'), ('諸', '诸'), ('諾', '诺'), ('謀', '谋'),
    ('謙', '谦'), ('講', '讲'), ('謝', '谢'), ('謹', '谨'), ('證', '证'), ('識', '识'), ('譚', '谭'), ('譯', '译'),
    ('議', '议'), ('護', '护'), ('譽', '誉'), ('讀', '读'), ('變', '变'), ('讓', '让'), ('讚', '赞'), ('豐', '丰'),
    ('豔', '艳'), ('貝', '贝'), ('貞', '贞'), ('負', '负'), ('財', '财'), ('貢', '贡'), ('貧', '贫'), ('貨', '货'),
    ('販', '贩'), ('貪', '贪'), ('貫', '贯'), ('責', '责'), ('貯', '贮'), ('貳', '贰'), ('貴', '贵'), ('買', '买'),
    ('貸', '贷'), ('費', '费'), ('貼', '贴'), ('貿', '贸'), ('賀', '贺'), ('賃', '赁'), ('資', '资'), ('賈', '贾'),
    ('賓', '宾'), ('賞', '赏'), ('賠', '赔'), ('賢', '贤'), ('賣', '卖'), ('賦', '赋'), ('質', '质'), ('賬', '账'),
    ('賭', '赌'), ('賴', '赖'), ('賺', '赚'), ('購', '购'), ('賽', '赛'), ('贊', '赞'), ('贏', '赢'), ('贛', '赣'),
    ('趕', '赶'), ('趙', '赵'), ('趨', '趋'), ('躍', '跃'), ('車', '车'), ('軌', '轨'), ('軍', '军'), ('軒', '轩'),
    ('軟', '软'), ('較', '较'), ('載', '载'), ('輔', '辅'), ('輕', '轻'), ('輛', '辆'), ('輝', '辉'), ('輩', '辈'),
    ('輪', '轮'), ('輸', '输'), ('轉', '转'), ('轟', '轰'), ('辦', '办'), ('辭', '辞'), ('農', '农'), ('迴', '回'),
    ('這', '这'), ('連', '连'), ('週', '周'), ('進', '进'), ('遊', '游'), ('運', '运'), ('過', '过'), ('達', '达'),
    ('違', '违'), ('遙', '遥'), ('遜', '逊'), ('遞', '递'), ('遠', '远'), ('適', '适'), ('遲', '迟'), ('遷', '迁'),
    ('選', '选'), ('遺', '遗'), ('遼', '辽'), ('邁', '迈'), ('還', '还'), ('邊', '边'), ('郵', '邮'), ('鄉', '乡'),
    ('鄒', '邹'), ('鄔', '邬'), ('鄧', '邓'), ('鄭', '郑'), ('鄰', '邻'), ('鄲', '郸'), ('鄺', '邝'), ('醫', '医'),
    ('醬', '酱'), ('釋', '释'), ('針', '针'), ('釣', '钓'), ('鈔', '钞'), ('鈞', '钧'), ('鈴', '铃'), ('鈺', '钰'),
    ('鉛', '铅'), ('銀', '银'), ('銅', '铜'), ('銓', '铨'), ('銘', '铭'), ('銳', '锐'), ('銷', '销'), ('鋁', '铝'),
    ('鋅', '锌'), ('鋒', '锋'), ('鋪', '铺'), ('鋮', '铖'), ('鋼', '钢'), ('錄', '录'), ('錕', '锟'), ('錚', '铮'),
    ('錢', '钱'), ('錦', '锦'), ('錫', '锡'), ('錯', '错'), ('鍇', '锴'), ('鍊', '炼'), ('鍋', '锅'), ('鍍', '镀'),
    ('鍵', '键'), ('鍾', '钟'), ('鎖', '锁'), ('鎮', '镇'), ('鎳', '镍'), ('鏈', '链'), ('鏗', '铿'), ('鏘', '锵'),
    ('鏡', '镜'), ('鐘', '钟'), ('鐳', '镭'), ('鐵', '铁'), ('鐸', '铎'), ('鑄', '铸'), ('鑑', '鉴'), ('鑒', '鉴'),
    ('鑰', '钥'), ('鑽', '钻'), ('長', '长'), ('門', '门'), ('閃', '闪'), ('閆', '闫'), ('閉', '闭'), ('開', '开'),
    ('閏', '闰'), ('閒', '闲'), ('間', '间'), ('閔', '闵'), ('閣', '阁'), ('閩', '闽'), ('閱', '阅'), ('閻', '阎'),
    ('闆', '板'), ('闊', '阔'), ('闖', '闯'), ('關', '关'), ('陝', '陕'), ('陣', '阵'), ('陰', '阴'), ('陳', '陈'),
    ('陸', '陆'), ('陽', '阳'), ('隊', '队'), ('階', '阶'), ('際', '际'), ('隨', '随'), ('險', '险'), ('隱', '隐'),
    ('隴', '陇'), ('隻', '只'), ('雋', '隽'), ('雖', '虽'), ('雙', '双'), ('雛', '雏'), ('雜', '杂'), ('雞', '鸡'),
    ('離', '离'), ('難', '难'), ('雲', '云'), ('電', '电'), ('霧', '雾'), ('靈', '灵'), ('靜', '静'), ('韋', '韦'),
    ('韓', '韩'), ('韻', '韵'), ('響', '响'), ('頁', '页'), ('頂', '顶'), ('項', '项'), ('順', '顺'), ('須', '须'),
    ('頌', '颂'), ('預', '预'), ('頓', '顿'), ('頗', '颇'), ('領', '领'), ('頡', '颉'), ('頭', '头'), ('頸', '颈'),
    ('頻', '频'), ('題', '题'), ('額', '额'), ('顏', '颜'), ('願', '愿'), ('類', '类'), ('顧', '顾'), ('顯', '显'),
    ('風', '风'), ('颱', '台'), ('飄', '飘'), ('飛', '飞'), ('飯', '饭'), ('飲', '饮'), ('飽', '饱'), ('飾', '饰'),
    ('養', '养'), ('餘', '余'), ('館', '馆'), ('饒', '饶'), ('馬', '马'), ('馮', '冯'), ('馳', '驰'), ('駐', '驻'),
    ('駕', '驾'), ('駛', '驶'), ('駱', '骆'), ('駿', '骏'), ('騎', '骑'), ('騰', '腾'), ('驍', '骁'), ('驗', '验'),
    ('驚', '惊'), ('體', '体'), ('髮', '发'), ('鬆', '松'), ('鬥', '斗'), ('鬧', '闹'), ('魚', '鱼'), ('魯', '鲁'),
    ('鮑', '鲍'), ('鮮', '鲜'), ('鳥', '鸟'), ('鳳', '凤'), ('鳴', '鸣'), ('鴻', '鸿'), ('鴿', '鸽'), ('鵑', '鹃'),
    ('鵬', '鹏'), ('鵲', '鹊'), ('鶯', '莺'), ('鶴', '鹤'), ('鷗', '鸥'), ('鷹', '鹰'), ('鷺', '鹭'), ('鸝', '鹂'),
    ('鸞', '鸾'), ('鹽', '盐'), ('麗', '丽'), ('麥', '麦'), ('黃', '黄'), ('點', '点'), ('黨', '党'), ('齊', '齐'),
    ('齒', '齿'), ('齡', '龄'), ('龍', '龙'), ('龐', '庞'), ('龔', '龚'), ('龜', '龟'),
];

/// A validated name of a person or organisation, with its display form and matching key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName {
    display: String,
    normalized: String,
}

fn invalid_name(zh: &str, en: &str) -> Invalid {
    Invalid::new(ErrorCode::InvalidName, zh, en)
}

impl PersonName {
    /// Validates a name.
    ///
    /// The display form is the trimmed input with runs of whitespace collapsed to one space,
    /// invisible characters removed and middle-dot variants unified to `·`. Rejected: an empty
    /// name, more than 100 characters, control characters (such as a line break inside the name),
    /// and text without a single letter or Chinese character.
    pub fn parse(input: &str) -> Result<PersonName, Invalid> {
        let trimmed =
            input.trim_matches(|c: char| c.is_whitespace() || c.is_control() || is_invisible(c));
        if trimmed.is_empty() {
            return Err(Invalid::new(
                ErrorCode::MissingField,
                "请输入姓名或名称",
                "Please enter the name",
            ));
        }
        if trimmed.chars().any(|c| c.is_control()) {
            return Err(invalid_name(
                "姓名或名称中不能包含换行符、制表符等控制字符",
                "The name cannot contain line breaks, tabs or other control characters",
            ));
        }
        let mut display = String::with_capacity(trimmed.len());
        let mut in_space = false;
        for c in trimmed.chars().filter(|c| !is_invisible(*c)) {
            if c.is_whitespace() {
                in_space = true;
                continue;
            }
            if in_space {
                display.push(' ');
                in_space = false;
            }
            display.push(if is_dot_variant(c) { MIDDLE_DOT } else { c });
        }
        let count = display.chars().count();
        if count > MAX_NAME_CHARS {
            return Err(Invalid::new(
                ErrorCode::TooLong,
                format!("姓名或名称最多{MAX_NAME_CHARS}个字，当前为{count}个字"),
                format!(
                    "A name can have at most {MAX_NAME_CHARS} characters; this one has {count}"
                ),
            ));
        }
        if !display.chars().any(char::is_alphabetic) {
            return Err(invalid_name(
                "姓名或名称中应至少包含一个汉字或字母",
                "A name must contain at least one Chinese character or letter",
            ));
        }
        let normalized = normalize_name(&display);
        Ok(PersonName {
            display,
            normalized,
        })
    }

    /// The name as it should be shown.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The matching key, [`normalize_name`] of the display form.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl Serialize for PersonName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.display)
    }
}

impl<'de> Deserialize<'de> for PersonName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        PersonName::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table_is_sorted_unique_and_closed() {
        assert!(
            TRADITIONAL_TO_SIMPLIFIED.len() >= 300,
            "{}",
            TRADITIONAL_TO_SIMPLIFIED.len()
        );
        for pair in TRADITIONAL_TO_SIMPLIFIED.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?} before {:?}", pair[0], pair[1]);
        }
        for &(t, s) in TRADITIONAL_TO_SIMPLIFIED {
            assert_ne!(t, s);
            assert_eq!(simplify(s), s, "{s} (from {t}) is itself a key");
        }
    }

    #[test]
    fn normalises() {
        let cases: &[(&str, &str)] = &[
            ("张三", "张三"),
            (" 张 三 ", "张三"),
            ("张\u{3000}三", "张三"),
            ("陳小明", "陈小明"),
            ("劉德華", "刘德华"),
            ("黃偉", "黄伟"),
            ("鄭麗華", "郑丽华"),
            ("蕭鳳蘭", "萧凤兰"),
            ("葉國強", "叶国强"),
            ("歐陽鵬飛", "欧阳鹏飞"),
            ("鍾", "钟"),
            ("鐘", "钟"),
            ("於", "於"),
            ("乾", "乾"),
            ("阿卜杜·热合曼", "阿卜杜·热合曼"),
            ("阿卜杜•热合曼", "阿卜杜·热合曼"),
            ("阿卜杜・热合曼", "阿卜杜·热合曼"),
            ("阿卜杜･热合曼", "阿卜杜·热合曼"),
            ("阿卜杜 ‧ 热合曼", "阿卜杜·热合曼"),
            ("阿卜杜\u{2219}热合曼", "阿卜杜·热合曼"),
            ("阿卜杜\u{22C5}热合曼", "阿卜杜·热合曼"),
            ("阿卜杜\u{A78F}热合曼", "阿卜杜·热合曼"),
            ("阿卜杜.热合曼", "阿卜杜.热合曼"),
            ("阿卜杜．热合曼", "阿卜杜.热合曼"),
            ("John Smith", "JOHNSMITH"),
            ("Ｊｏｈｎ　Ｓｍｉｔｈ", "JOHNSMITH"),
            ("杭州東方貿易有限公司", "杭州东方贸易有限公司"),
            ("廣州市電器實業有限公司", "广州市电器实业有限公司"),
            ("寧波（集團）股份有限公司", "宁波(集团)股份有限公司"),
            ("寧波(集團)股份有限公司", "宁波(集团)股份有限公司"),
            ("ABC科技\u{200B}有限公司", "ABC科技有限公司"),
        ];
        for (input, key) in cases {
            assert_eq!(normalize_name(input), *key, "{input}");
        }
    }

    #[test]
    fn person_names() {
        let n = PersonName::parse("  阿卜杜  •  热合曼\t").unwrap();
        assert_eq!(n.display(), "阿卜杜 · 热合曼");
        assert_eq!(n.normalized(), "阿卜杜·热合曼");
        let n = PersonName::parse("陳　小明").unwrap();
        assert_eq!(n.display(), "陳 小明");
        assert_eq!(n.normalized(), "陈小明");
        assert_eq!(n.to_string(), "陳 小明");
        assert!(PersonName::parse("O'Brien").is_ok());
    }

    #[test]
    fn person_name_rejections() {
        let long = "张".repeat(101);
        let cases: &[(&str, ErrorCode)] = &[
            ("", ErrorCode::MissingField),
            (" \u{3000} ", ErrorCode::MissingField),
            (&long, ErrorCode::TooLong),
            ("张\n三", ErrorCode::InvalidName),
            ("张\u{0}三", ErrorCode::InvalidName),
            ("123", ErrorCode::InvalidName),
            ("··", ErrorCode::InvalidName),
            ("-- --", ErrorCode::InvalidName),
        ];
        for (input, code) in cases {
            assert_eq!(
                PersonName::parse(input).unwrap_err().code,
                *code,
                "{input:?}"
            );
        }
        assert!(PersonName::parse(&"张".repeat(100)).is_ok());
    }

    fn to_full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                ' ' => '\u{3000}',
                c => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent(input in "\\PC{0,30}") {
            let once = normalize_name(&input);
            prop_assert_eq!(normalize_name(&once), once);
        }

        #[test]
        fn normalize_is_idempotent_on_names(
            input in proptest::collection::vec(
                proptest::sample::select(
                    TRADITIONAL_TO_SIMPLIFIED
                        .iter()
                        .flat_map(|&(t, s)| [t, s])
                        .chain("·•・ 　aZ９Ｘ".chars())
                        .collect::<Vec<char>>(),
                ),
                0..20,
            )
        ) {
            let input: String = input.into_iter().collect();
            let once = normalize_name(&input);
            prop_assert_eq!(normalize_name(&once), once);
        }

        #[test]
        fn full_and_half_width_normalise_equal(input in "[ -~]{0,30}") {
            prop_assert_eq!(normalize_name(&to_full_width(&input)), normalize_name(&input));
            prop_assert_eq!(normalize_name(&input.to_lowercase()), normalize_name(&input.to_uppercase()));
        }

        #[test]
        fn traditional_and_simplified_normalise_equal(
            pairs in proptest::collection::vec(proptest::sample::select(TRADITIONAL_TO_SIMPLIFIED), 1..10)
        ) {
            let traditional: String = pairs.iter().map(|p| p.0).collect();
            let simplified: String = pairs.iter().map(|p| p.1).collect();
            prop_assert_eq!(normalize_name(&traditional), simplified);
        }

        #[test]
        fn parse_never_panics_and_keys_match(input in "\\PC{0,120}") {
            if let Ok(name) = PersonName::parse(&input) {
                prop_assert_eq!(name.normalized(), normalize_name(&input));
                prop_assert!(name.display().chars().count() <= MAX_NAME_CHARS);
            }
        }
    }
}
