use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    portal_server::cli::run(portal_server::cli::Cli::parse()).await
}
