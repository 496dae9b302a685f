//! What a form keeps on this phone while it is filled in: its fields as JSON in `localStorage`
//! (a reload or a dropped connection loses nothing), and the `Idempotency-Key` of its submission,
//! made once per filled-in form so that a retry is the same request.

use serde::{de::DeserializeOwned, Serialize};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The draft stored under `key`, or a fresh one.
pub fn load<T: DeserializeOwned + Default>(key: &str) -> T {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save<T: Serialize>(key: &str, draft: &T) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(key, &json);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Removes every draft whose key starts with `prefix` (a party signing out leaves nothing of
/// theirs on a shared phone).
pub fn remove_all(prefix: &str) {
    let Some(s) = storage() else { return };
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

/// A fresh `Idempotency-Key`: 128 bits from the browser's cryptographic generator (a guessable
/// key would let someone else's retry fetch this answer, or block it).
pub fn new_key(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        bytes.fill_with(|| (js_sys::Math::random() * 256.0) as u8);
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}-{hex}")
}
