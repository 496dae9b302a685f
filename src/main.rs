//! The portal's bundle: home, lookup, notices, partners.
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Portal,
        portal::app::PORTAL_ROUTES,
    );
}
