//! The rewards bundle (built from `service.html`; files under `/bundles/rewards/`).
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Rewards,
        portal::app::REWARDS_ROUTES,
    );
}
