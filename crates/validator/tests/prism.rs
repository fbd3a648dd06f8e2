//! Other tools can use `schemas/openapi.json`: Prism (`npm install -g
//! @stoplight/prism-cli`) serves a mock of the five endpoints from it, and the
//! responses it makes up must pass the contracts' schemas as `actionlog`
//! checks them. Prism's generator knows the schema, not the pages'
//! cross-member promises, so semantic rules are not asked of its examples.
//!
//! Runs when `prism` is on PATH (or `ACTIONLOG_PRISM` names it); otherwise it
//! says why it was skipped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Mock(Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn prism() -> Option<PathBuf> {
    let candidate =
        std::env::var_os("ACTIONLOG_PRISM").map_or_else(|| PathBuf::from("prism"), PathBuf::from);
    Command::new(&candidate)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|_| candidate)
}

/// A GET over plain HTTP/1.1 on loopback; the body, de-chunked if need be.
fn get(port: u16, path: &str, header: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{header}\r\nConnection: close\r\n\r\n").ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut decoded = String::new();
        let mut rest = body;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            decoded.push_str(tail.get(..size)?);
            rest = tail.get(size + 2..)?;
        }
        decoded
    } else {
        body.to_owned()
    };
    Some((status, body))
}

#[test]
fn responses_prism_makes_up_from_the_openapi_export_pass_the_schemas() {
    let Some(prism) = prism() else {
        eprintln!("skipped: prism is not installed (npm install -g @stoplight/prism-cli)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _mock = Mock(
        Command::new(prism)
            .args(["mock", "--host", "127.0.0.1", "-p", &port.to_string()])
            .arg(root.join("schemas/openapi.json"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "prism did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let captures = tempfile::tempdir().unwrap();
    for contract in actionlog_models::CONTRACTS {
        let mut path = contract.path_template.to_owned();
        for param in contract.path_params {
            let value = match param.ty {
                actionlog_models::registry::ParamType::Integer => "7",
                _ if param.pattern.is_some() => "42",
                _ => "abc",
            };
            path = path.replace(&format!("{{{}}}", param.name), value);
        }
        let header = match contract.auth {
            actionlog_models::registry::Auth::Bearer => "Authorization: Bearer token".to_owned(),
            actionlog_models::registry::Auth::Basic => {
                "Authorization: Basic dXNlcjpwYXNz".to_owned()
            }
            actionlog_models::registry::Auth::ApiKeyHeader { header } => format!("{header}: key"),
        };
        let (status, body) =
            get(port, &path, &header).unwrap_or_else(|| panic!("no answer for {path}"));
        assert_eq!(status, contract.success_status, "{}: {body}", contract.id);
        let folder = captures.path().join(contract.id);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("prism.json"), body).unwrap();
    }

    let output = Command::new(env!("CARGO_BIN_EXE_actionlog"))
        .args(["validate", "--format", "json"])
        .arg(captures.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["documents"], 5, "{report}");
    assert_eq!(report["summary"]["problems"], 0, "{report}");
    for document in report["documents"].as_array().unwrap() {
        for diagnostic in document["diagnostics"].as_array().unwrap() {
            let rule = diagnostic["rule"].as_str().unwrap();
            assert!(
                !(rule.starts_with("schema.") || rule.starts_with("response.")),
                "{}: Prism's example breaks {rule}: {diagnostic}",
                document["contract"]
            );
        }
    }
}
