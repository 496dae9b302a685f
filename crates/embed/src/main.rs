//! The embedded credit check partners frame (`embed.html`, `/embed/check`): its own small bundle,
//! written against the DOM on `portal-lite` like the verification and publicity pages.

mod page;
mod text;

fn main() {
    console_error_panic_hook::set_once();
    page::mount();
}
