//! A throwaway S3-compatible server (moto) for the upload tests on object storage: started on a
//! free port, holding everything in memory, stopped when dropped.

use std::{
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

use crate::util::{free_port, note};

pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, for `PORTAL_TEST_S3`.
    pub url: String,
}

impl S3Server {
    pub fn start(moto_server: &Path) -> Result<S3Server> {
        let port = free_port()?;
        let child = Command::new(moto_server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // One log line per request: nothing a test run needs to show.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", moto_server.display()))?;
        let mut server = S3Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait()? {
                bail!("moto_server exited early ({status})");
            }
            if Instant::now() > deadline {
                bail!("moto_server did not listen on port {port} within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        note(&format!(
            "S3-compatible test server (moto) at {}",
            server.url
        ));
        Ok(server)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
