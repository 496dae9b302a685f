//! The declared payments bundle (the debtor's declaration, the creditor's answer): built from
//! `service.html`, files under `/bundles/payments/`.
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Payments,
        portal::app::PAYMENTS_ROUTES,
    );
}
