//! The correction requests bundle (to correct or reconsider a listing): built from
//! `service.html`, files under `/bundles/corrections/`.
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Corrections,
        portal::app::CORRECTIONS_ROUTES,
    );
}
