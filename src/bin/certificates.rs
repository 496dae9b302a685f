//! The certificates bundle (built from `service.html`; files under `/bundles/certificates/`).
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Certificates,
        portal::app::CERTIFICATES_ROUTES,
    );
}
