//! The articles `seed --demo` publishes: five guides written from the rules the portal encodes
//! (DESIGN §3), and demo news and typical cases (marked as demo content).

use portal_core::article::{ArticleInput, ArticleStatus};

use super::{render::render, store};
use crate::db::Db;

const COURT: &str = "宁波市象山县人民法院";

/// (kind, title, summary, Markdown, days before today).
const ARTICLES: &[(&str, &str, &str, &str, i64)] = &[
    (
        "guide",
        "被纳入失信名单后，怎样履行并删除公开信息",
        "履行完毕后，执行法院在 3 个工作日内删除失信信息；删除后，本平台的查询、接口和嵌入核查都不再显示。",
        "## 先弄清要履行什么\n\n\
在本平台[查询](/lookup)自己的名字，打开公开信息，可以看到案号、执行法院、执行依据和未履行的义务。\
有疑问时，直接联系执行法院的承办人。\n\n\
## 怎样履行\n\n\
1. 按执行法院告知的方式，把款项交到法院指定的账户，或直接向申请执行人履行并取得书面确认；\n\
2. 与申请执行人达成和解协议的，按协议履行完毕；\n\
3. 保留付款凭证，向执行法院提交。\n\n\
## 什么时候删除\n\n\
有下列情形之一的，执行法院在 **3 个工作日内** 删除失信信息：\n\n\
- 全部履行完毕；\n\
- 和解协议已经履行完毕；\n\
- 申请执行人书面申请删除；\n\
- 终结本次执行程序后，两次查询都没有发现可供执行的财产；\n\
- 因再审或破产等原因中止执行；\n\
- 法院裁定不予执行或终结执行。\n\n\
删除后，信息仍保留在法院的案件档案中，但本平台的每个页面、查询接口和合作方的嵌入核查都不再显示。\n\n\
## 还可以做什么\n\n\
主动履行的，可以[申请自动履行证明书](/certificates/apply)，银行、招投标平台扫码即可核验。",
        2,
    ),
    (
        "guide",
        "限制消费令限制哪些消费",
        "被限制消费的，九类高消费和非生活、工作必需的消费受到限制；单位被限制的，法定代表人等四类人员同样受限。",
        "被执行人未按执行通知书履行义务的，法院可以限制其高消费及非生活和工作必需的消费。\n\n\
## 九类限制\n\n\
| 类别 | 举例 |\n|---|---|\n\
| 乘坐交通工具 | 飞机、列车软卧、轮船二等以上舱位 |\n\
| 高消费场所 | 星级以上宾馆、酒店、夜总会、高尔夫球场 |\n\
| 购买不动产 | 购买房产、新建扩建装修房屋 |\n\
| 租赁办公用房 | 租赁高档写字楼、宾馆、公寓办公 |\n\
| 购买车辆 | 购买非经营必需的车辆 |\n\
| 旅游度假 | 旅游、度假 |\n\
| 子女教育 | 子女就读高收费私立学校 |\n\
| 保险理财 | 支付高额保费购买保险理财产品 |\n\
| 高铁动车 | 乘坐 G 字头动车组列车全部座位、其他动车组列车一等以上座位 |\n\n\
## 单位被限制消费时\n\n\
被执行人是单位的，限制同样约束其 **法定代表人、主要负责人、影响债务履行的直接责任人员和实际控制人**。\n\n\
## 怎样解除\n\n\
履行完毕后，由执行法院通过原渠道解除限制。因私消费确有需要的，可以向执行法院书面申请。",
        5,
    ),
    (
        "guide",
        "怎样申请自动履行证明书",
        "主动履行的当事人可以在线申请，执行法院审核后出具带二维码的电子证明书，银行扫码就能核验真伪和现在是否有效。",
        "## 谁可以申请\n\n\
在判决前、诉讼中、申请执行前或执行中主动履行了义务的当事人。\n\n\
## 怎样申请\n\n\
1. 打开[申请页面](/certificates/apply)，填写案号、姓名或名称、证件号码、履行阶段、金额和日期；\n\
2. 提交后保存好申请编号和查询密码；\n\
3. 把页面上的确认码交给申请执行人，请对方在 7 天内到“申请执行人确认”页面确认或提出异议；\n\
4. 法院审核通过后出具证明书，在[查询进度](/certificates/status)页面可以看到证明书图片，长按即可保存。\n\n\
## 别人怎样核验\n\n\
证明书上的二维码带有法院的电子签名。扫码即可看到签名是否有效、证明书现在是否有效；没有网络时也能核验签名。\
您可以随时查看谁核验过您的证明书。",
        9,
    ),
    (
        "guide",
        "公开信息有误，怎样申请纠正",
        "认为失信信息有误的，可以向执行法院申请纠正：法院 15 日内审查，确有错误的 3 个工作日内纠正。",
        "## 向执行法院申请纠正\n\n\
认为公开的信息有错误（例如已经履行、身份信息不符、不属于失信情形），可以向执行法院书面申请纠正，并附上证据。\n\n\
- 执行法院在收到申请之日起 **15 日内** 审查；\n\
- 理由成立的，在 **3 个工作日内** 纠正。\n\n\
## 对结果不服\n\n\
可以自收到决定之日起 **10 日内** 向上一级法院申请复议，上一级法院在 **15 日内** 作出决定。\n\n\
## 宽限期\n\n\
法院作出纳入决定后可以给予 1 至 3 个月的宽限期；宽限期内的信息不会在本平台显示。",
        14,
    ),
    (
        "guide",
        "怎样提供财产线索、领取悬赏",
        "看到悬赏公告，可以匿名提交财产线索。线索保密，先提交的优先；财产执行到位后，由申请执行人按公告支付悬赏金。",
        "## 悬赏从哪里来\n\n\
悬赏由申请执行人书面申请，写明悬赏金额或计算方法、支付承诺，法院审查后通过官网、微信等渠道发布。\
在本平台的[悬赏公告](/rewards)中可以按地区、财产类型查找。\n\n\
## 怎样提供线索\n\n\
1. 打开悬赏公告，点“提供线索”；\n\
2. 写清财产类型、位置、时间，可以上传照片；\n\
3. 提交后立即得到线索编号、查询密码和带电子签名的回执——这是您提交时间的凭证。\n\n\
## 线索怎样保护\n\n\
举报人的身份和线索内容保密，联系方式加密保存。同一线索以先提交的为准。\n\n\
## 悬赏怎样支付\n\n\
线索经法院查证属实、财产执行到位后，由申请执行人按公告支付。您可以用线索编号和密码随时查看进度。",
        20,
    ),
    (
        "news",
        "象山法院开展涉民生案件集中执行行动",
        "为期一个月的集中执行中，执行干警对拖欠劳动报酬、人身损害赔偿等案件开展凌晨和周末执行。（演示内容）",
        "近日，象山县人民法院启动涉民生案件集中执行行动，重点执行拖欠劳动报酬、人身损害赔偿、赡养抚养等案件。\n\n\
行动期间，执行干警利用凌晨和周末时段开展执行，对有能力履行而拒不履行的被执行人依法采取限制消费、纳入失信名单等措施。\n\n\
多名被执行人在行动中主动履行，执行法院依法在 3 个工作日内删除了他们的失信信息。\n\n\
*本文为演示数据。*",
        1,
    ),
    (
        "typical_case",
        "被纳入失信名单后主动履行，信息三日内删除",
        "某公司拖欠货款被纳入失信名单，影响投标后主动履行全部款项，法院在 3 个工作日内删除信息并出具自动履行证明书。（演示内容）",
        "## 基本案情\n\n\
某建材公司与某贸易公司买卖合同纠纷一案，判决生效后，建材公司未按期支付货款，被执行法院纳入失信被执行人名单。\n\n\
## 执行过程\n\n\
建材公司在参加投标时因失信信息被拒，随即联系执行法院，一次性支付了全部货款及迟延履行期间的利息。\
执行法院在 3 个工作日内删除了失信信息，并应其申请出具了自动履行证明书。\n\n\
## 典型意义\n\n\
失信惩戒的目的在于促使履行。主动履行后，信息及时删除，信用随之修复。\n\n\
*本文为演示数据。*",
        6,
    ),
    (
        "typical_case",
        "悬赏线索找到隐匿车辆，案件执行完毕",
        "申请执行人发布悬赏后，群众提供被执行人隐匿车辆的停放位置，法院查扣车辆，被执行人随即履行。（演示内容）",
        "## 基本案情\n\n\
被执行人王某欠款 12 万元，法院查询未发现可供执行的存款，但有迹象表明其仍在使用一辆登记在他人名下的车辆。\n\n\
## 执行过程\n\n\
申请执行人申请发布悬赏，承诺按执行到位金额的 10% 支付悬赏金。一名群众通过本平台提交线索，附上车辆停放位置和照片。\
法院据此查扣车辆，王某随即履行全部欠款，申请执行人按公告支付了悬赏金。\n\n\
## 典型意义\n\n\
悬赏让群众参与查找财产，线索保密、先到先得，回执为举报人保留了提交时间的凭证。\n\n\
*本文为演示数据。*",
        12,
    ),
];

/// Publishes the demo articles (once: nothing happens when articles exist).
pub async fn seed_articles(db: &Db, now: i64) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    // Oldest first, so ids follow publication.
    let mut items: Vec<_> = ARTICLES.iter().collect();
    items.sort_by_key(|a| std::cmp::Reverse(a.4));
    for (kind, title, summary, markdown, days_ago) in items {
        let input = ArticleInput {
            title: (*title).into(),
            kind: (*kind).into(),
            markdown: (*markdown).into(),
            summary: Some((*summary).into()),
            court: (*kind != "guide").then(|| COURT.to_owned()),
            province: (*kind != "guide").then(|| "33".to_owned()),
        };
        let valid = input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo article {title}: {e:?}"))?;
        let rendered = render(&valid.markdown)
            .map_err(|e| anyhow::anyhow!("demo article {title}: {}", e.en))?;
        let at = now - days_ago * 86_400_000 - 3_600_000;
        let (id, _) = store::create(db, &valid, &rendered, COURT, at).await?;
        store::set_status(db, id, ArticleStatus::Published, Some(at), at).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_article_is_valid_and_renders() {
        for (kind, title, summary, markdown, _) in ARTICLES {
            let input = ArticleInput {
                title: (*title).into(),
                kind: (*kind).into(),
                markdown: (*markdown).into(),
                summary: Some((*summary).into()),
                ..Default::default()
            };
            assert!(input.validate().is_ok(), "{title}");
            let r = render(markdown).unwrap_or_else(|e| panic!("{title}: {}", e.zh));
            assert!(r.html.starts_with('<'), "{title}");
        }
    }
}
