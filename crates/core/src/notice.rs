//! The vocabulary of published notices (subject types, performance, the six listing grounds, the
//! lists, the nine consumption-restriction categories) and the validation of import rows
//! (DESIGN §7.2) into [`Notice`]s.
//!
//! Each vocabulary enum has one spelling used in imports, JSON and URLs (`as_str`, identical to its
//! serde name) and a label per language for people (`label`).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};

use crate::case_number::CaseNumber;
use crate::credit_code::CreditCode;
use crate::error::{ErrorCode, FieldError, Invalid, Lang};
use crate::id_number::IdNumber;
use crate::name::PersonName;
use crate::text::fold_width;

use crate::vocabulary::vocabulary;

vocabulary! {
    /// Whether the debtor is a natural person or an organisation.
    pub enum SubjectType {
        Person => ("person", "自然人", "Natural person"),
        Organization => ("organization", "法人或非法人组织", "Legal person or other organisation"),
    }
}

vocabulary! {
    /// How far the obligation set by the enforcement basis has been performed.
    pub enum Performance {
        None => ("none", "全部未履行", "Not performed at all"),
        Partial => ("partial", "部分未履行", "Partly performed"),
    }
}

vocabulary! {
    /// The six grounds for putting a debtor on the dishonest list (失信情形).
    pub enum Behaviour {
        /// Able to perform but refuses.
        RefusesWithAbility => (
            "refuses_with_ability",
            "有履行能力而拒不履行生效法律文书确定义务",
            "Able to perform but refuses to meet the obligation set by an effective legal document",
        ),
        /// Obstructs enforcement by forgery, violence or threats.
        Obstructs => (
            "obstructs",
            "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
            "Obstructs or resists enforcement by forging evidence, violence, threats or similar means",
        ),
        /// Evades enforcement by sham litigation or hiding assets.
        Evades => (
            "evades",
            "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            "Evades enforcement through sham litigation or arbitration, or by hiding or transferring assets",
        ),
        /// Violates the duty to report assets.
        ViolatesAssetReport => (
            "violates_asset_report",
            "违反财产报告制度",
            "Violates the duty to report assets",
        ),
        /// Violates a consumption-restriction order.
        ViolatesRestriction => (
            "violates_restriction",
            "违反限制消费令",
            "Violates a consumption-restriction order",
        ),
        /// Refuses without good reason to honour a settlement agreement.
        BreachesSettlement => (
            "breaches_settlement",
            "无正当理由拒不履行执行和解协议",
            "Refuses without good reason to honour an enforcement settlement agreement",
        ),
    }
}

vocabulary! {
    /// The public lists a notice can put a debtor on.
    pub enum ListKind {
        /// 失信被执行人名单.
        Dishonest => ("dishonest", "失信被执行人", "Dishonest judgment debtor"),
        /// 限制消费: the restrictions of [`RestrictionCategory`] apply.
        Restricted => ("restricted", "限制消费", "Consumption restricted"),
        /// 终本: the case was closed for now without full recovery.
        Terminated => ("terminated", "终结本次执行", "Enforcement terminated for now"),
    }
}

vocabulary! {
    /// Whether a notice is public. Deleted notices stay in the court's records but vanish from
    /// every public answer.
    pub enum NoticeStatus {
        Active => ("active", "有效", "Active"),
        Deleted => ("deleted", "已删除", "Deleted"),
    }
}

vocabulary! {
    /// The nine kinds of spending a consumption-restriction order forbids. For an organisation
    /// debtor they also bind its legal representative, principal officer, directly responsible
    /// person and actual controller.
    pub enum RestrictionCategory {
        FlightsSoftSleepers => (
            "flights_soft_sleepers",
            "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
            "Travelling by air, in train soft sleepers, or in second class or above on ships",
        ),
        StarHotelsGolf => (
            "star_hotels_golf",
            "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
            "High spending at star-rated hotels, nightclubs, golf courses and similar places",
        ),
        BuyingProperty => (
            "buying_property",
            "购买不动产或者新建、扩建、高档装修房屋",
            "Buying real estate, or building, extending or luxuriously renovating a house",
        ),
        HighEndOffices => (
            "high_end_offices",
            "租赁高档写字楼、宾馆、公寓等场所办公",
            "Renting high-end office buildings, hotels or apartments as offices",
        ),
        NonEssentialCars => (
            "non_essential_cars",
            "购买非经营必需车辆",
            "Buying vehicles not necessary for business",
        ),
        Travel => ("travel", "旅游、度假", "Travel and holidays"),
        PrivateSchools => (
            "private_schools",
            "子女就读高收费私立学校",
            "Sending children to high-fee private schools",
        ),
        HighPremiumInsurance => (
            "high_premium_insurance",
            "支付高额保费购买保险理财产品",
            "Paying high premiums for insurance or wealth-management products",
        ),
        HighSpeedRailSeats => (
            "high_speed_rail_seats",
            "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为",
            "Any seat on G-series high-speed trains, first class or above on other bullet trains, and other spending not needed for life or work",
        ),
    }
}

/// The identifier of a debtor: a resident ID number for a person, a unified social credit code
/// for an organisation.
///
/// `Debug` masks ID numbers (through [`IdNumber`]'s `Debug`); serialisation writes the full value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SubjectId {
    Person(IdNumber),
    Organization(CreditCode),
}

impl SubjectId {
    /// The full canonical identifier.
    pub fn as_str(&self) -> &str {
        match self {
            SubjectId::Person(id) => id.as_str(),
            SubjectId::Organization(code) => code.as_str(),
        }
    }

    /// The public form: ID numbers masked, credit codes in full.
    pub fn masked(&self) -> String {
        match self {
            SubjectId::Person(id) => id.masked(),
            SubjectId::Organization(code) => code.as_str().to_owned(),
        }
    }

    /// The kind of subject the identifier belongs to.
    pub fn subject_type(&self) -> SubjectType {
        match self {
            SubjectId::Person(_) => SubjectType::Person,
            SubjectId::Organization(_) => SubjectType::Organization,
        }
    }
}

impl SubjectId {
    /// Parses an identifier of either kind, for forms where the user does not say which: a
    /// resident ID number if it is one, else a unified social credit code. When neither fits, the
    /// message is the one for the kind the input most resembles (17 leading digits: an ID number).
    pub fn parse_any(input: &str) -> Result<SubjectId, Invalid> {
        let id_error = match IdNumber::parse(input) {
            Ok(id) => return Ok(SubjectId::Person(id)),
            Err(e) => e,
        };
        if id_error.code == ErrorCode::MissingField {
            return Err(id_error);
        }
        match CreditCode::parse(input) {
            Ok(code) => Ok(SubjectId::Organization(code)),
            Err(code_error) => {
                let looks_like_id = input
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .take(17)
                    .all(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c));
                Err(if looks_like_id { id_error } else { code_error })
            }
        }
    }
}

impl Serialize for SubjectId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Parses the identifier of a subject of the given type: an ID number for a person, a credit code
/// for an organisation.
pub fn parse_subject_id(subject_type: SubjectType, input: &str) -> Result<SubjectId, Invalid> {
    match subject_type {
        SubjectType::Person => IdNumber::parse(input).map(SubjectId::Person),
        SubjectType::Organization => CreditCode::parse(input).map(SubjectId::Organization),
    }
}

/// The import columns, in file order (DESIGN §7.2).
pub const COLUMNS: [&str; 15] = [
    "case_number",
    "court",
    "subject_type",
    "name",
    "id_number",
    "legal_representative",
    "basis_number",
    "basis_issuer",
    "filed_on",
    "obligation",
    "performance",
    "behaviour",
    "lists",
    "published_on",
    "status",
];

/// Longest court name, basis number, basis issuer and legal representative, in characters.
pub const MAX_SHORT_TEXT: usize = 100;
/// Longest obligation text, in characters.
pub const MAX_OBLIGATION: usize = 2000;

/// One row of a notice import file, as text, before validation. Missing columns deserialise as
/// empty strings.
///
/// `Debug` masks a person's ID number.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeRow {
    pub case_number: String,
    pub court: String,
    pub subject_type: String,
    pub name: String,
    pub id_number: String,
    pub legal_representative: String,
    pub basis_number: String,
    pub basis_issuer: String,
    pub filed_on: String,
    pub obligation: String,
    pub performance: String,
    pub behaviour: String,
    pub lists: String,
    pub published_on: String,
    pub status: String,
}

/// A validated notice: one subject in one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub case_number: CaseNumber,
    pub court: String,
    pub subject_type: SubjectType,
    pub name: PersonName,
    pub subject_id: SubjectId,
    /// Organisations only.
    pub legal_representative: Option<String>,
    pub basis_number: String,
    pub basis_issuer: String,
    pub filed_on: NaiveDate,
    pub obligation: String,
    pub performance: Performance,
    /// Present exactly when `lists` contains [`ListKind::Dishonest`].
    pub behaviour: Option<Behaviour>,
    /// Sorted, deduplicated, non-empty.
    pub lists: Vec<ListKind>,
    /// A date in the future is a grace period: the notice is not shown before it.
    pub published_on: NaiveDate,
    pub status: NoticeStatus,
}

/// `dishonest;restricted`: the `lists` column spelling.
pub fn format_lists(lists: &[ListKind]) -> String {
    lists
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Shortens a user-supplied value before quoting it in a message.
fn quote(value: &str) -> String {
    const MAX: usize = 20;
    let value = value.trim();
    if value.chars().count() > MAX {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    } else {
        value.to_owned()
    }
}

/// "`a`（甲）、`b`（乙）" and "a (A), b (B)": the allowed values of a vocabulary, for messages.
fn allowed<T: Copy>(
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> (String, String) {
    let zh = all
        .iter()
        .map(|&v| format!("{}（{}）", as_str(v), label(v, Lang::Zh)))
        .collect::<Vec<_>>()
        .join("、");
    let en = all
        .iter()
        .map(|&v| as_str(v))
        .collect::<Vec<_>>()
        .join(", ");
    (zh, en)
}

fn invalid_choice<T: Copy>(
    value: &str,
    what_zh: &str,
    what_en: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> Invalid {
    let (zh, en) = allowed(all, as_str, label);
    let value = quote(value);
    Invalid::new(
        ErrorCode::InvalidValue,
        format!("“{value}”不是有效的{what_zh}，可选值为：{zh}"),
        format!("\"{value}\" is not a valid {what_en}; allowed values: {en}"),
    )
}

/// Parses the `lists` column: values separated by `;` (a full-width `；` works too), in any order,
/// duplicates ignored. The result is sorted and non-empty.
pub fn parse_lists(s: &str) -> Result<Vec<ListKind>, Invalid> {
    let mut lists = Vec::new();
    for part in s.split(|c| fold_width(c) == ';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let kind = ListKind::parse(part).ok_or_else(|| {
            invalid_choice(
                part,
                "名单类型",
                "list",
                ListKind::ALL,
                ListKind::as_str,
                ListKind::label,
            )
        })?;
        lists.push(kind);
    }
    if lists.is_empty() {
        let (zh, en) = allowed(ListKind::ALL, ListKind::as_str, ListKind::label);
        return Err(Invalid::new(
            ErrorCode::MissingField,
            format!("请填写所列入的名单，多个用分号“;”分隔，可选值为：{zh}"),
            format!("Please give the lists, separated by \";\"; allowed values: {en}"),
        ));
    }
    lists.sort();
    lists.dedup();
    Ok(lists)
}

/// Parses a `YYYY-MM-DD` date between 1900 and 2100 that exists in the calendar. Full-width digits
/// are folded.
pub fn parse_date(s: &str) -> Result<NaiveDate, Invalid> {
    let s: String = s.trim().chars().map(fold_width).collect();
    if s.is_empty() {
        return Err(Invalid::missing());
    }
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(Invalid::new(
            ErrorCode::InvalidDate,
            format!(
                "日期“{}”格式不正确，应为 YYYY-MM-DD（如 2024-03-15）",
                quote(&s)
            ),
            format!(
                "\"{}\" is not a date in the form YYYY-MM-DD (such as 2024-03-15)",
                quote(&s)
            ),
        ));
    }
    let date = NaiveDate::from_ymd_opt(
        s[..4].parse().unwrap_or(0),
        s[5..7].parse().unwrap_or(0),
        s[8..].parse().unwrap_or(0),
    )
    .ok_or_else(|| {
        Invalid::new(
            ErrorCode::InvalidDate,
            format!("日期“{s}”不存在，请核对"),
            format!("The date {s} does not exist; please check it"),
        )
    })?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(Invalid::new(
            ErrorCode::InvalidDate,
            format!("日期“{s}”的年份应在1900年至2100年之间"),
            format!("The year of {s} must be between 1900 and 2100"),
        ));
    }
    Ok(date)
}

fn too_long(max: usize, count: usize) -> Invalid {
    Invalid::new(
        ErrorCode::TooLong,
        format!("此项最多{max}个字，当前为{count}个字"),
        format!("At most {max} characters are allowed; this has {count}"),
    )
}

/// Collects the errors of one row while its columns are checked.
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn record<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        result.map_err(|e| self.errors.push(e.at(field))).ok()
    }

    /// A required single-line or multi-line text of at most `max` characters, trimmed.
    fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        let count = value.chars().count();
        let result = if value.is_empty() {
            Err(Invalid::missing())
        } else if count > max {
            Err(too_long(max, count))
        } else {
            Ok(value.to_owned())
        };
        self.record(field, result)
    }

    fn choice<T: Copy>(
        &mut self,
        field: &str,
        value: &str,
        what: (&str, &str),
        all: &[T],
        as_str: fn(T) -> &'static str,
        label: fn(T, Lang) -> &'static str,
    ) -> Option<T> {
        let result = if value.trim().is_empty() {
            let (zh, en) = allowed(all, as_str, label);
            Err(Invalid::new(
                ErrorCode::MissingField,
                format!("此项为必填项，可选值为：{zh}"),
                format!("This field is required; allowed values: {en}"),
            ))
        } else {
            all.iter()
                .copied()
                .find(|v| as_str(*v).eq_ignore_ascii_case(value.trim()))
                .ok_or_else(|| invalid_choice(value, what.0, what.1, all, as_str, label))
        };
        self.record(field, result)
    }
}

impl NoticeRow {
    /// The import columns, in file order; see [`COLUMNS`].
    pub const COLUMNS: [&'static str; 15] = COLUMNS;

    /// The values in [`COLUMNS`] order, e.g. to write a CSV line.
    pub fn values(&self) -> [&str; 15] {
        [
            &self.case_number,
            &self.court,
            &self.subject_type,
            &self.name,
            &self.id_number,
            &self.legal_representative,
            &self.basis_number,
            &self.basis_issuer,
            &self.filed_on,
            &self.obligation,
            &self.performance,
            &self.behaviour,
            &self.lists,
            &self.published_on,
            &self.status,
        ]
    }

    /// The value of the named column, e.g. to fill a row from a CSV header in any order; `None`
    /// for an unknown column name.
    pub fn field_mut(&mut self, column: &str) -> Option<&mut String> {
        Some(match column {
            "case_number" => &mut self.case_number,
            "court" => &mut self.court,
            "subject_type" => &mut self.subject_type,
            "name" => &mut self.name,
            "id_number" => &mut self.id_number,
            "legal_representative" => &mut self.legal_representative,
            "basis_number" => &mut self.basis_number,
            "basis_issuer" => &mut self.basis_issuer,
            "filed_on" => &mut self.filed_on,
            "obligation" => &mut self.obligation,
            "performance" => &mut self.performance,
            "behaviour" => &mut self.behaviour,
            "lists" => &mut self.lists,
            "published_on" => &mut self.published_on,
            "status" => &mut self.status,
            _ => return None,
        })
    }

    /// Validates the row, reporting every bad column (each error's `field` is the column name, in
    /// column order), or returns the notice.
    pub fn validate(&self) -> Result<Notice, Vec<FieldError>> {
        let mut c = Checker { errors: Vec::new() };

        let case_number = c.record("case_number", CaseNumber::parse(&self.case_number));
        let court = c.text("court", &self.court, MAX_SHORT_TEXT);
        let subject_type = c.choice(
            "subject_type",
            &self.subject_type,
            ("主体类型", "subject type"),
            SubjectType::ALL,
            SubjectType::as_str,
            SubjectType::label,
        );
        let name = c.record("name", PersonName::parse(&self.name));
        let subject_id = match subject_type {
            Some(t) => c.record("id_number", parse_subject_id(t, &self.id_number)),
            None if self.id_number.trim().is_empty() => {
                c.record("id_number", Err(Invalid::missing()))
            }
            // Which identifier it should be depends on the subject type, reported above.
            None => None,
        };
        let legal_representative = match subject_type {
            Some(SubjectType::Organization) if self.legal_representative.trim().is_empty() => c
                .record(
                    "legal_representative",
                    Err(Invalid::new(
                        ErrorCode::MissingField,
                        "法人或非法人组织须填写法定代表人或主要负责人",
                        "An organisation needs its legal representative or principal officer",
                    )),
                ),
            Some(SubjectType::Organization) => c.record(
                "legal_representative",
                PersonName::parse(&self.legal_representative).map(|n| Some(n.display().to_owned())),
            ),
            Some(SubjectType::Person) if !self.legal_representative.trim().is_empty() => c.record(
                "legal_representative",
                Err(Invalid::new(
                    ErrorCode::InvalidValue,
                    "自然人没有法定代表人，此项应留空",
                    "A natural person has no legal representative; leave this empty",
                )),
            ),
            _ => Some(None),
        };
        let basis_number = c.text("basis_number", &self.basis_number, MAX_SHORT_TEXT);
        let basis_issuer = c.text("basis_issuer", &self.basis_issuer, MAX_SHORT_TEXT);
        let filed_on = c.record("filed_on", parse_date(&self.filed_on));
        let obligation = c.text("obligation", &self.obligation, MAX_OBLIGATION);
        let performance = c.choice(
            "performance",
            &self.performance,
            ("履行情况", "performance"),
            Performance::ALL,
            Performance::as_str,
            Performance::label,
        );
        let behaviour = if self.behaviour.trim().is_empty() {
            Some(None)
        } else {
            c.choice(
                "behaviour",
                &self.behaviour,
                ("失信情形", "behaviour"),
                Behaviour::ALL,
                Behaviour::as_str,
                Behaviour::label,
            )
            .map(Some)
        };
        let lists = c.record("lists", parse_lists(&self.lists));
        match (&lists, behaviour) {
            (Some(lists), Some(None)) if lists.contains(&ListKind::Dishonest) => {
                let (zh, en) = allowed(Behaviour::ALL, Behaviour::as_str, Behaviour::label);
                c.errors.push(
                    Invalid::new(
                        ErrorCode::MissingField,
                        format!("列入失信被执行人名单的须填写失信情形，可选值为：{zh}"),
                        format!("A row on the dishonest list needs the dishonest behaviour; allowed values: {en}"),
                    )
                    .at("behaviour"),
                );
            }
            (Some(lists), Some(Some(_))) if !lists.contains(&ListKind::Dishonest) => {
                c.errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "未列入失信被执行人名单（lists 不含 dishonest）的，失信情形应留空",
                        "The behaviour must be empty unless the row is on the dishonest list (lists contains dishonest)",
                    )
                    .at("behaviour"),
                );
            }
            _ => {}
        }
        let published_on = c.record("published_on", parse_date(&self.published_on));
        let status = c.choice(
            "status",
            &self.status,
            ("状态", "status"),
            NoticeStatus::ALL,
            NoticeStatus::as_str,
            NoticeStatus::label,
        );

        let mut errors = c.errors;
        if !errors.is_empty() {
            errors.sort_by_key(|e| COLUMNS.iter().position(|c| *c == e.field));
            return Err(errors);
        }
        match (
            case_number,
            court,
            subject_type,
            name,
            subject_id,
            legal_representative,
            basis_number,
            basis_issuer,
            filed_on,
            obligation,
            performance,
            behaviour,
            lists,
            published_on,
            status,
        ) {
            (
                Some(case_number),
                Some(court),
                Some(subject_type),
                Some(name),
                Some(subject_id),
                Some(legal_representative),
                Some(basis_number),
                Some(basis_issuer),
                Some(filed_on),
                Some(obligation),
                Some(performance),
                Some(behaviour),
                Some(lists),
                Some(published_on),
                Some(status),
            ) => Ok(Notice {
                case_number,
                court,
                subject_type,
                name,
                subject_id,
                legal_representative,
                basis_number,
                basis_issuer,
                filed_on,
                obligation,
                performance,
                behaviour,
                lists,
                published_on,
                status,
            }),
            _ => unreachable!("every column without an error has a value"),
        }
    }
}

/// Masks a person's ID number, which would otherwise reach logs through `{:?}`.
impl fmt::Debug for NoticeRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let organisation =
            SubjectType::parse(&self.subject_type) == Some(SubjectType::Organization);
        let id_number = if organisation {
            self.id_number.clone()
        } else {
            mask_raw(&self.id_number)
        };
        f.debug_struct("NoticeRow")
            .field("case_number", &self.case_number)
            .field("court", &self.court)
            .field("subject_type", &self.subject_type)
            .field("name", &self.name)
            .field("id_number", &id_number)
            .field("legal_representative", &self.legal_representative)
            .field("basis_number", &self.basis_number)
            .field("basis_issuer", &self.basis_issuer)
            .field("filed_on", &self.filed_on)
            .field("obligation", &self.obligation)
            .field("performance", &self.performance)
            .field("behaviour", &self.behaviour)
            .field("lists", &self.lists)
            .field("published_on", &self.published_on)
            .field("status", &self.status)
            .finish()
    }
}

/// Masks unvalidated identifier text like a valid ID number (first 10, `****`, last 4); shorter
/// text is hidden completely.
fn mask_raw(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    if chars.is_empty() {
        String::new()
    } else if chars.len() < 16 {
        "****".to_owned()
    } else {
        let head: String = chars[..10].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    }
}

impl Notice {
    /// The import row this notice came from, in canonical spelling; validating it gives the
    /// notice back.
    pub fn to_row(&self) -> NoticeRow {
        NoticeRow {
            case_number: self.case_number.as_str().to_owned(),
            court: self.court.clone(),
            subject_type: self.subject_type.as_str().to_owned(),
            name: self.name.display().to_owned(),
            id_number: self.subject_id.as_str().to_owned(),
            legal_representative: self.legal_representative.clone().unwrap_or_default(),
            basis_number: self.basis_number.clone(),
            basis_issuer: self.basis_issuer.clone(),
            filed_on: self.filed_on.format("%Y-%m-%d").to_string(),
            obligation: self.obligation.clone(),
            performance: self.performance.as_str().to_owned(),
            behaviour: self
                .behaviour
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
            lists: format_lists(&self.lists),
            published_on: self.published_on.format("%Y-%m-%d").to_string(),
            status: self.status.as_str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case_number::tests::arb_case_number;
    use crate::credit_code::tests::arb_credit_code;
    use crate::id_number::tests::arb_id;
    use proptest::prelude::*;
    use serde::de::value::{Error as DeError, MapDeserializer, StrDeserializer};
    use serde::de::IntoDeserializer;

    fn person_row() -> NoticeRow {
        NoticeRow {
            case_number: "(2024)浙0225执1234号".into(),
            court: "宁波市象山县人民法院".into(),
            subject_type: "person".into(),
            name: "张三".into(),
            id_number: "440524197302122516".into(),
            legal_representative: String::new(),
            basis_number: "(2023)浙0225民初567号".into(),
            basis_issuer: "宁波市象山县人民法院".into(),
            filed_on: "2024-01-15".into(),
            obligation: "支付货款人民币120000元及利息".into(),
            performance: "none".into(),
            behaviour: "refuses_with_ability".into(),
            lists: "dishonest;restricted".into(),
            published_on: "2024-03-01".into(),
            status: "active".into(),
        }
    }

    fn organisation_row() -> NoticeRow {
        NoticeRow {
            subject_type: "organization".into(),
            name: "象山某某水产有限公司".into(),
            id_number: "91350100M000100Y43".into(),
            legal_representative: "李四".into(),
            behaviour: String::new(),
            lists: "restricted;terminated".into(),
            performance: "partial".into(),
            ..person_row()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.code()))
            .collect()
    }

    #[test]
    fn serde_names_are_the_spellings() {
        fn check<T>(all: &[T], as_str: fn(T) -> &'static str)
        where
            T: Copy + PartialEq + fmt::Debug + for<'de> Deserialize<'de>,
        {
            for &v in all {
                let de: StrDeserializer<DeError> = as_str(v).into_deserializer();
                assert_eq!(T::deserialize(de).unwrap(), v);
            }
        }
        check(SubjectType::ALL, SubjectType::as_str);
        check(Performance::ALL, Performance::as_str);
        check(Behaviour::ALL, Behaviour::as_str);
        check(ListKind::ALL, ListKind::as_str);
        check(NoticeStatus::ALL, NoticeStatus::as_str);
        check(RestrictionCategory::ALL, RestrictionCategory::as_str);
        assert_eq!(Behaviour::ALL.len(), 6);
        assert_eq!(RestrictionCategory::ALL.len(), 9);
        assert_eq!(
            RestrictionCategory::FlightsSoftSleepers.as_str(),
            "flights_soft_sleepers"
        );
    }

    #[test]
    fn vocabulary_parse_and_labels() {
        assert_eq!(SubjectType::parse(" Person "), Some(SubjectType::Person));
        assert_eq!(Performance::parse("none"), Some(Performance::None));
        assert_eq!(
            Behaviour::parse("breaches_settlement"),
            Some(Behaviour::BreachesSettlement)
        );
        assert_eq!(ListKind::parse("terminated"), Some(ListKind::Terminated));
        assert_eq!(NoticeStatus::parse("deleted"), Some(NoticeStatus::Deleted));
        assert_eq!(ListKind::parse("失信"), None);
        assert_eq!(ListKind::Dishonest.label(Lang::Zh), "失信被执行人");
        assert_eq!(Performance::Partial.label(Lang::Zh), "部分未履行");
        assert_eq!(
            Behaviour::RefusesWithAbility.label(Lang::Zh),
            "有履行能力而拒不履行生效法律文书确定义务"
        );
        assert_eq!(
            SubjectType::Organization.label(Lang::Zh),
            "法人或非法人组织"
        );
        for v in RestrictionCategory::ALL {
            assert!(!v.label(Lang::Zh).is_empty() && !v.label(Lang::En).is_empty());
        }
        assert_eq!(ListKind::Restricted.to_string(), "restricted");
    }

    #[test]
    fn lists_column() {
        use ListKind::*;
        assert_eq!(parse_lists("dishonest").unwrap(), vec![Dishonest]);
        assert_eq!(
            parse_lists("terminated; dishonest;;").unwrap(),
            vec![Dishonest, Terminated]
        );
        assert_eq!(
            parse_lists("restricted；dishonest;restricted").unwrap(),
            vec![Dishonest, Restricted]
        );
        assert_eq!(parse_lists("").unwrap_err().code, ErrorCode::MissingField);
        assert_eq!(
            parse_lists(" ; ").unwrap_err().code,
            ErrorCode::MissingField
        );
        let err = parse_lists("dishonest;blacklist").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidValue);
        assert!(
            err.zh.contains("blacklist") && err.zh.contains("terminated"),
            "{}",
            err.zh
        );
        assert!(
            err.en.contains("dishonest, restricted, terminated"),
            "{}",
            err.en
        );
        assert_eq!(
            format_lists(&[Dishonest, Terminated]),
            "dishonest;terminated"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            parse_date(" ２０２４-０２-２９ ").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        for bad in ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31"] {
            let err = parse_date(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidDate);
            assert!(err.zh.contains("不存在"), "{bad}");
        }
        for bad in [
            "2024/01/15",
            "2024-1-15",
            "20240115",
            "15-01-2024",
            "2024-01-15T00:00",
            "２０２４年1月",
        ] {
            let err = parse_date(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidDate);
            assert!(err.zh.contains("YYYY-MM-DD"), "{bad}");
        }
        assert_eq!(
            parse_date("1899-12-31").unwrap_err().code,
            ErrorCode::InvalidDate
        );
        assert_eq!(parse_date("").unwrap_err().code, ErrorCode::MissingField);
    }

    #[test]
    fn valid_rows() {
        let n = person_row().validate().unwrap();
        assert_eq!(n.case_number.as_str(), "(2024)浙0225执1234号");
        assert_eq!(n.subject_id.masked(), "4405241973****2516");
        assert_eq!(n.behaviour, Some(Behaviour::RefusesWithAbility));
        assert_eq!(n.lists, vec![ListKind::Dishonest, ListKind::Restricted]);
        assert_eq!(n.legal_representative, None);
        assert_eq!(n.to_row(), person_row());

        let o = organisation_row().validate().unwrap();
        assert_eq!(o.subject_type, SubjectType::Organization);
        assert_eq!(o.subject_id.masked(), "91350100M000100Y43");
        assert_eq!(o.legal_representative.as_deref(), Some("李四"));
        assert_eq!(o.behaviour, None);
        assert_eq!(o.to_row(), organisation_row());

        // Lenient spellings are accepted and canonicalised.
        let messy = NoticeRow {
            case_number: "（2024）浙0225执1234号".into(),
            court: "  宁波市象山县人民法院 ".into(),
            subject_type: "PERSON".into(),
            id_number: "44052419730212251６".into(),
            lists: "restricted;dishonest;".into(),
            ..person_row()
        };
        assert_eq!(messy.validate().unwrap(), n);
    }

    #[test]
    fn every_error_is_reported_in_column_order() {
        let row = NoticeRow {
            legal_representative: "王五".into(),
            ..NoticeRow::default()
        };
        let errors = row.validate().unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("case_number", ErrorCode::MissingField),
                ("court", ErrorCode::MissingField),
                ("subject_type", ErrorCode::MissingField),
                ("name", ErrorCode::MissingField),
                ("id_number", ErrorCode::MissingField),
                ("basis_number", ErrorCode::MissingField),
                ("basis_issuer", ErrorCode::MissingField),
                ("filed_on", ErrorCode::MissingField),
                ("obligation", ErrorCode::MissingField),
                ("performance", ErrorCode::MissingField),
                ("lists", ErrorCode::MissingField),
                ("published_on", ErrorCode::MissingField),
                ("status", ErrorCode::MissingField),
            ]
        );
        assert!(
            errors[2].invalid.zh.contains("person（自然人）"),
            "{}",
            errors[2].invalid.zh
        );

        let row = NoticeRow {
            case_number: "2024浙0225执1234号".into(),
            court: "法".repeat(101),
            name: "张\n三".into(),
            id_number: "440524197302122517".into(),
            legal_representative: "李四".into(),
            basis_issuer: "院".repeat(101),
            filed_on: "2024-02-30".into(),
            obligation: "债".repeat(2001),
            performance: "all".into(),
            behaviour: "lazy".into(),
            published_on: "2024/03/01".into(),
            status: "gone".into(),
            ..person_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![
                ("case_number", ErrorCode::InvalidCaseNumber),
                ("court", ErrorCode::TooLong),
                ("name", ErrorCode::InvalidName),
                ("id_number", ErrorCode::InvalidIdNumber),
                ("legal_representative", ErrorCode::InvalidValue),
                ("basis_issuer", ErrorCode::TooLong),
                ("filed_on", ErrorCode::InvalidDate),
                ("obligation", ErrorCode::TooLong),
                ("performance", ErrorCode::InvalidValue),
                ("behaviour", ErrorCode::InvalidValue),
                ("published_on", ErrorCode::InvalidDate),
                ("status", ErrorCode::InvalidValue),
            ]
        );
    }

    #[test]
    fn identifier_follows_subject_type() {
        let row = NoticeRow {
            id_number: "91350100M000100Y43".into(),
            ..person_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("id_number", ErrorCode::InvalidIdNumber)]
        );
        let row = NoticeRow {
            id_number: "440524197302122516".into(),
            ..organisation_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("id_number", ErrorCode::InvalidCreditCode)]
        );
        let row = NoticeRow {
            id_number: "91350100M000100Y44".into(),
            ..organisation_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("id_number", ErrorCode::InvalidCreditCode)]
        );
        // An unknown subject type is reported once; the identifier cannot be judged.
        let row = NoticeRow {
            subject_type: "company".into(),
            ..organisation_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("subject_type", ErrorCode::InvalidValue)]
        );
    }

    #[test]
    fn legal_representative_rules() {
        let row = NoticeRow {
            legal_representative: " ".into(),
            ..organisation_row()
        };
        let errors = row.validate().unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("legal_representative", ErrorCode::MissingField)]
        );
        assert!(errors[0].invalid.zh.contains("法定代表人"));
        let row = NoticeRow {
            legal_representative: "张".repeat(101),
            ..organisation_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("legal_representative", ErrorCode::TooLong)]
        );
        let row = NoticeRow {
            legal_representative: "李四".into(),
            ..person_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("legal_representative", ErrorCode::InvalidValue)]
        );
    }

    #[test]
    fn behaviour_goes_with_the_dishonest_list() {
        let row = NoticeRow {
            behaviour: String::new(),
            ..person_row()
        };
        let errors = row.validate().unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("behaviour", ErrorCode::MissingField)]
        );
        assert!(errors[0].invalid.zh.contains("失信情形"));
        let row = NoticeRow {
            lists: "restricted".into(),
            ..person_row()
        };
        let errors = row.validate().unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("behaviour", ErrorCode::InvalidValue)]
        );
        assert!(errors[0].invalid.en.contains("dishonest list"));
        let row = NoticeRow {
            behaviour: "evades".into(),
            lists: "dishonest".into(),
            ..organisation_row()
        };
        assert!(row.validate().is_ok());
        // No cross-check once the lists themselves are wrong.
        let row = NoticeRow {
            lists: "bogus".into(),
            ..person_row()
        };
        assert_eq!(
            fields(&row.validate().unwrap_err()),
            vec![("lists", ErrorCode::InvalidValue)]
        );
    }

    #[test]
    fn filing_after_publication_is_allowed() {
        let row = NoticeRow {
            filed_on: "2025-01-01".into(),
            published_on: "2024-01-01".into(),
            ..person_row()
        };
        assert!(row.validate().is_ok());
    }

    #[test]
    fn rows_deserialize_with_missing_columns() {
        let de = MapDeserializer::<_, DeError>::new(
            vec![
                ("case_number", "(2024)浙0225执1234号"),
                ("name", "张三"),
                ("extra", "x"),
            ]
            .into_iter(),
        );
        let row = NoticeRow::deserialize(de).unwrap();
        assert_eq!(row.case_number, "(2024)浙0225执1234号");
        assert_eq!(row.name, "张三");
        assert_eq!(row.status, "");
    }

    #[test]
    fn columns_and_values_agree() {
        // Each column gets a value of its own, so a column wired to the wrong field, or listed
        // out of order in `values`, shows up as a mismatch.
        let mut row = NoticeRow::default();
        for column in COLUMNS {
            *row.field_mut(column).unwrap() = format!("value of {column}");
        }
        let expected: Vec<String> = COLUMNS.iter().map(|c| format!("value of {c}")).collect();
        assert_eq!(row.values().to_vec(), expected);
        assert!(row.field_mut("nope").is_none());
    }

    #[test]
    fn debug_masks_person_ids() {
        let row = person_row();
        let debug = format!("{row:?}");
        assert!(!debug.contains("440524197302122516"), "{debug}");
        assert!(debug.contains("4405241973****2516"));
        let debug = format!("{:?}", row.validate().unwrap());
        assert!(!debug.contains("440524197302122516"), "{debug}");
        let debug = format!(
            "{:?}",
            NoticeRow {
                id_number: "4405241973".into(),
                ..person_row()
            }
        );
        assert!(!debug.contains("4405241973"), "{debug}");
        assert!(format!("{:?}", organisation_row()).contains("91350100M000100Y43"));
    }

    fn arb_date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..=2100, 1u32..=366)
            .prop_filter_map("day exists", |(y, d)| NaiveDate::from_yo_opt(y, d))
    }

    fn arb_text(max: usize) -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!(
            "[一-龥A-Za-z0-9（）()《》]([一-龥A-Za-z0-9 ,.，。（）()]{{0,{}}}[一-龥0-9])?",
            max - 2
        ))
        .unwrap()
    }

    fn arb_name() -> impl Strategy<Value = PersonName> {
        "[一-龥]{1,4}(·[一-龥]{1,4})?|[A-Z][a-z]{1,8} [A-Z][a-z]{1,8}"
            .prop_map(|s| PersonName::parse(&s).unwrap())
    }

    prop_compose! {
        fn arb_notice()(
            case_number in arb_case_number(),
            court in arb_text(30),
            subject in prop_oneof![arb_id().prop_map(SubjectId::Person), arb_credit_code().prop_map(SubjectId::Organization)],
            name in arb_name(),
            representative in arb_name(),
            basis_number in arb_text(100),
            basis_issuer in arb_text(40),
            filed_on in arb_date(),
            obligation in arb_text(400),
            performance in proptest::sample::select(Performance::ALL),
            behaviour in proptest::sample::select(Behaviour::ALL),
            lists in proptest::sample::subsequence(ListKind::ALL, 1..=3),
            published_on in arb_date(),
            status in proptest::sample::select(NoticeStatus::ALL),
        ) -> Notice {
            let subject_type = subject.subject_type();
            Notice {
                case_number,
                court,
                subject_type,
                name,
                subject_id: subject,
                legal_representative: (subject_type == SubjectType::Organization)
                    .then(|| representative.display().to_owned()),
                basis_number,
                basis_issuer,
                filed_on,
                obligation,
                performance,
                behaviour: lists.contains(&ListKind::Dishonest).then_some(behaviour),
                lists,
                published_on,
                status,
            }
        }
    }

    proptest! {
        #[test]
        fn notice_to_row_validate_round_trips(notice in arb_notice()) {
            let row = notice.to_row();
            prop_assert_eq!(row.validate(), Ok(notice.clone()));
            prop_assert_eq!(row.validate().unwrap().to_row(), row);
        }

        #[test]
        fn validate_never_panics(
            values in proptest::collection::vec("\\PC{0,24}|person|organization|dishonest|none", 15)
        ) {
            let mut row = NoticeRow::default();
            for (column, value) in COLUMNS.iter().zip(values) {
                *row.field_mut(column).unwrap() = value;
            }
            if let Err(errors) = row.validate() {
                prop_assert!(!errors.is_empty());
                prop_assert!(errors.iter().all(|e| COLUMNS.contains(&e.field.as_str())));
            }
        }
    }

    #[test]
    fn parse_any_tells_ids_from_credit_codes() {
        let id = SubjectId::parse_any("11010519491231002x").unwrap();
        assert_eq!(id.subject_type(), SubjectType::Person);
        assert_eq!(id.as_str(), "11010519491231002X");
        let code = SubjectId::parse_any(" 91350100M000100Y43 ").unwrap();
        assert_eq!(code.subject_type(), SubjectType::Organization);
        assert_eq!(
            SubjectId::parse_any("").unwrap_err().code,
            ErrorCode::MissingField
        );
        // 17 digits then a wrong check digit: the ID number's message, not the credit code's.
        assert_eq!(
            SubjectId::parse_any("110105194912310021").unwrap_err().code,
            ErrorCode::InvalidIdNumber
        );
        assert_eq!(
            SubjectId::parse_any("91350100M000100Y44").unwrap_err().code,
            ErrorCode::InvalidCreditCode
        );
    }
}
