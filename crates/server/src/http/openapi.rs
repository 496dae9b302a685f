//! The public API's OpenAPI document, `GET /api/v1/openapi.json`: the lookup, verification,
//! certificate and deadline operations citizens' and verifiers' clients call, generated from the
//! handlers' `#[utoipa::path]` annotations and `core`'s types, so what is documented is what is
//! served.
//! `cargo xtask test schemathesis` fuzzes the server against it.

use axum::{body::Bytes, http::header, routing::get, Router};
use utoipa::OpenApi;

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
    )
)]
struct PublicApi;

/// The document, with what the derive cannot say: request fields have no defaults (a default
/// of "" would contradict their own rules); a lookup's `id_number` may be absent, `null` or
/// blank; a lookup links to its notices; a certificate answer is a record or a bare status, and a record carries every field of
/// the bare status too (`anyOf`, not `oneOf`).
fn document() -> Bytes {
    let mut doc =
        serde_json::to_value(PublicApi::openapi()).expect("the OpenAPI document serialises");
    for request in ["LookupRequest", "VerifyRequest"] {
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
    Bytes::from(doc.to_string())
}

pub fn router() -> Router<AppState> {
    let doc = document();
    Router::new().route(
        "/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], doc) }
        }),
    )
}
