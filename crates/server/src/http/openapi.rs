//! The public API's OpenAPI document, `GET /api/v1/openapi.json`: the lookup, verification,
//! certificate and deadline operations citizens' and verifiers' clients call, and the parties'
//! desk (signed in with a session cookie), generated from the handlers' `#[utoipa::path]`
//! annotations and `core`'s types, so what is documented is what is served.
//! `cargo xtask test schemathesis` fuzzes the server against it.

use axum::{body::Bytes, extract::State, http::header, routing::get, Router};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
    Modify, OpenApi,
};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "执行公开 · Public API",
        version = "1.0.0",
        description = "Look up the courts' public lists of dishonest debtors (失信), consumption restrictions (限消) and cases closed for now (终本); verify one subject; check a self-performance certificate; count a legal deadline as the courts do. ID numbers travel in request bodies, never in addresses. Lookups, verifications and certificate checks pass admission control: past the free allowance a proof-of-work challenge (429 `challenge_required`, solved by the portal's pages), past the limit 429 `rate_limited` with `Retry-After`. A full ID checked against a name counts against the guess budget of its masked form (429 `too_many_guesses`). Messages follow `Accept-Language` (zh-CN unless English is asked for)."
    ),
    servers((url = "/api/v1")),
    paths(
        super::health::health,
        super::health::ready,
        crate::notices::http::search,
        crate::notices::http::notice,
        crate::notices::http::verify,
        crate::certificates::verify::record,
        crate::calendar::http::deadline,
        crate::wechat::signature,
        crate::parties::session::sign_in,
        crate::parties::session::current,
        crate::parties::session::sign_out,
        crate::parties::http::cases,
        crate::checks::checks,
        crate::parties::http::requests,
        crate::parties::http::make_request,
        crate::parties::http::declare,
        crate::parties::creditor::answer,
    ),
    modifiers(&PartyCookie)
)]
struct PublicApi;

/// The parties' desk's session cookie, as a security scheme; its name is set per server by
/// [`document`].
struct PartyCookie;

impl Modify for PartyCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "party_session",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    PARTY_COOKIE,
                    "The party session `POST /party/session` sets: HttpOnly, SameSite=Strict, ending after 30 idle minutes and 2 hours at most",
                ))),
            );
    }
}

/// The cookie's name over plain HTTP; over HTTPS the server names it `__Host-portal_party`.
const PARTY_COOKIE: &str = "portal_party";

/// The document, with what the derive cannot say: request fields have no defaults (a default
/// of "" would contradict their own rules); a lookup's `id_number` may be absent, `null` or
/// blank; a lookup links to its notices; a certificate answer is a record or a bare status, and a
/// record carries every field of the bare status too (`anyOf`, not `oneOf`); a declared payment
/// links to its creditor's answer, which needs `answer`, and a note when disputing; the party cookie's name is the one this server
/// sets (`https`).
fn document(https: bool) -> Bytes {
    let mut doc =
        serde_json::to_value(PublicApi::openapi()).expect("the OpenAPI document serialises");
    for request in [
        "LookupRequest",
        "VerifyRequest",
        "PartySignIn",
        "PerformanceDeclarationRequest",
        "PartyRequestBody",
        "CreditorAnswerBody",
    ] {
        if let Some(properties) = doc
            .pointer_mut(&format!("/components/schemas/{request}/properties"))
            .and_then(|p| p.as_object_mut())
        {
            for property in properties.values_mut() {
                if let Some(property) = property.as_object_mut() {
                    property.remove("default");
                }
            }
        }
    }
    if let Some(id) = doc.pointer_mut("/components/schemas/LookupRequest/properties/id_number") {
        let description = id["description"].clone();
        *id = serde_json::json!({
            "description": description,
            "anyOf": [
                {"type": "null"},
                {"type": "string", "pattern": "^\\s*$"},
                {"type": "string", "format": "cn-subject-id"},
            ],
        });
    }
    // A lookup's notices open with `GET /notices/{id}`: the link lets a client, or a stateful
    // fuzzer, follow from one to the other.
    if let Some(ok) = doc.pointer_mut("/paths/~1lookup/post/responses/200") {
        ok["links"] = serde_json::json!({
            "TheFirstNotice": {
                "operationId": "notice",
                "parameters": {"id": "$response.body#/subjects/0/notices/0/id"},
                "description": "The first notice of the first subject",
            },
        });
    }
    if let Some(answer) = doc
        .pointer_mut("/components/schemas/CertificateAnswer")
        .and_then(|s| s.as_object_mut())
    {
        if let Some(one_of) = answer.remove("oneOf") {
            answer.insert("anyOf".into(), one_of);
        }
    }
    // The case's creditor answers a declared payment by its id.
    if let Some(created) = doc.pointer_mut("/paths/~1party~1performance/post/responses/201") {
        created["links"] = serde_json::json!({
            "TheCreditorAnswers": {
                "operationId": "party_declaration_answer",
                "parameters": {"id": "$response.body#/id"},
                "requestBody": {"answer": "confirmed"},
                "description": "The case's creditor, signed in, confirms the declared payment",
            },
        });
    }
    creditor_answer(&mut doc);
    if https {
        doc["components"]["securitySchemes"]["party_session"]["name"] =
            format!("__Host-{PARTY_COOKIE}").into();
    }
    Bytes::from(doc.to_string())
}

/// A creditor's answer needs `answer`, and a note (something besides spaces) when disputing.
fn creditor_answer(doc: &mut serde_json::Value) {
    if let Some(schema) = doc.pointer_mut("/components/schemas/CreditorAnswerBody") {
        schema["required"] = serde_json::json!(["answer"]);
        schema["anyOf"] = serde_json::json!([
            {"properties": {"answer": {"const": "confirmed"}}},
            {
                "properties": {
                    "answer": {"const": "disputed"},
                    "note": {"type": "string", "pattern": "\\S"},
                },
                "required": ["note"],
            },
        ]);
    }
}

pub fn router() -> Router<AppState> {
    let documents = [document(false), document(true)];
    Router::new().route(
        "/openapi.json",
        get(move |State(state): State<AppState>| {
            let doc = documents[usize::from(state.config.https())].clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], doc) }
        }),
    )
}
