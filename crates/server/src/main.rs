use clap::Parser;

// Lookups allocate many small strings per row; mimalloc handles that with far less contention
// between threads than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    portal_server::cli::run(portal_server::cli::Cli::parse()).await
}
