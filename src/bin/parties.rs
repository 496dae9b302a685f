//! The parties bundle (`parties.html`, files under `/bundles/parties/`).
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Parties,
        portal::app::parties_routes,
    );
}
