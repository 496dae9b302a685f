//! The tips bundle (built from `service.html`; files under `/bundles/tips/`).
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(portal_core::bundle::Bundle::Tips, portal::app::TIPS_ROUTES);
}
