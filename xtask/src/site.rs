//! Small sites on loopback ports for the tests: a partner's page, on another origin than the
//! portal, that embeds the credit check the way a real partner would, and a stand-in for
//! WeChat's API; and the staff and partner accounts the tests use.

use std::{
    io::{Read, Write},
    net::TcpListener,
    path::Path,
    process::Command,
};

use anyhow::{bail, Context, Result};

use crate::util::{output, root};

/// Adds a staff account of `court` (`portal-server staff add`, the password on stdin).
pub fn add_staff(
    bin: &Path,
    database_url: &str,
    username: &str,
    court: &str,
    role: &str,
    password: &str,
) -> Result<()> {
    let mut staff = Command::new(bin)
        .args([
            "staff",
            "add",
            "--username",
            username,
            "--court",
            court,
            "--role",
            role,
        ])
        .args(["--database-url", database_url])
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    staff
        .stdin
        .take()
        .expect("piped")
        .write_all(password.as_bytes())?;
    if !staff.wait()?.success() {
        bail!("could not add the staff account {username}");
    }
    Ok(())
}

/// Registers a partner for `origin`; returns its public id and API key.
pub fn register_partner(
    bin: &Path,
    database_url: &str,
    name: &str,
    origin: &str,
) -> Result<(String, String)> {
    let out = output(
        Command::new(bin)
            .args([
                "partner",
                "add",
                "--name",
                name,
                "--purpose",
                "个人贷款审批",
                "--origin",
                origin,
            ])
            .args(["--database-url", database_url]),
    )?;
    let field = |key: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_owned())
    };
    match (field("partner_id: "), field("api_key: ")) {
        (Some(id), Some(key)) => Ok((id, key)),
        _ => bail!("partner add printed no partner id and key"),
    }
}

/// Answers every request to `http://127.0.0.1:port/` with `respond(request head)` — status line
/// text, content type and body — on a thread of its own, until the process ends.
fn serve<F>(port: u16, respond: F) -> Result<()>
where
    F: Fn(&str) -> (&'static str, &'static str, String) + Send + 'static,
{
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("cannot listen on port {port}"))?;
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let (status, content_type, body) = respond(&String::from_utf8_lossy(&buf[..n]));
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(())
}

/// Serves e2e/partner/index.html, filled in with the portal's address and the partner id, at
/// `http://127.0.0.1:port/` until the process ends.
pub fn serve_partner_page(port: u16, portal: &str, partner_id: &str) -> Result<()> {
    let template = std::fs::read_to_string(root().join("e2e/partner/index.html"))
        .context("e2e/partner/index.html")?;
    let page = template
        .replace("{{PORTAL}}", portal)
        .replace("{{PARTNER}}", partner_id);
    serve(port, move |request| {
        let html = "text/html; charset=utf-8";
        if request.starts_with("GET / ") || request.starts_with("GET /?") {
            ("200 OK", html, page.clone())
        } else {
            ("404 Not Found", html, "not found".to_owned())
        }
    })
}

/// The jsapi ticket the WeChat stand-in hands out ([`serve_wechat_standin`]); the e2e test signs
/// with it to check the page's `wx.config`.
pub const WECHAT_TICKET: &str = "e2e-jsapi-ticket";

/// A stand-in for WeChat's token and ticket endpoints (`{base}/cgi-bin/token`,
/// `{base}/cgi-bin/ticket/getticket`, as WeChat documents them) at `http://127.0.0.1:port`, for
/// `serve --wechat-api-base`, until the process ends.
pub fn serve_wechat_standin(port: u16) -> Result<()> {
    serve(port, |request| {
        let body = if request.starts_with("GET /cgi-bin/token?") {
            r#"{"access_token":"e2e-access-token","expires_in":7200}"#.to_owned()
        } else if request.starts_with("GET /cgi-bin/ticket/getticket?")
            && request.contains("access_token=e2e-access-token")
        {
            format!(r#"{{"errcode":0,"errmsg":"ok","ticket":"{WECHAT_TICKET}","expires_in":7200}}"#)
        } else {
            r#"{"errcode":40001,"errmsg":"invalid credential"}"#.to_owned()
        };
        ("200 OK", "application/json", body)
    })
}
