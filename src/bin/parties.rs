//! The parties bundle (built from `service.html`; files under `/bundles/parties/`).
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Parties,
        portal::app::PARTIES_ROUTES,
    );
}
