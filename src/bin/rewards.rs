//! The rewards bundle (`rewards.html`, files under `/bundles/rewards/`).
fn main() {
    console_error_panic_hook::set_once();
    portal::app::mount(
        portal_core::bundle::Bundle::Rewards,
        portal::app::rewards_routes,
    );
}
