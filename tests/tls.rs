//! Real TLS, as real Ilios servers are reached: the embedded server behind a TLS front whose
//! certificate comes from a test certificate authority made here (rcgen). The headless commands
//! run as processes: trusted through `ca_file` or `SSL_CERT_FILE`; refused, and said as a
//! certificate problem with what to do, for an unknown authority, a wrong host name and an
//! expired certificate.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;

use chrono::{Datelike, Duration, Utc};
use ilios_tui::demo::{DemoServer, Persona};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority of the tests' own, like a school's.
fn authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
        .distinguished_name
        .push(DnType::CommonName, format!("{name} Test Authority"));
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A server certificate for `names`, valid from `days.0` to `days.1` days from now (the system
/// clock, which is what TLS checks against).
fn leaf(
    ca: &CertifiedIssuer<'static, KeyPair>,
    names: &[&str],
    days: (i64, i64),
) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    let day = |d: i64| {
        let t = Utc::now() + Duration::days(d);
        rcgen::date_time_ymd(t.year(), t.month() as u8, t.day() as u8)
    };
    params.not_before = day(days.0);
    params.not_after = day(days.1);
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, ca).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    (cert.der().clone(), key)
}

/// A TLS front on a free loopback port, passing every connection on to the demo server.
async fn tls_front(
    demo: &DemoServer,
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> u16 {
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = demo.addr();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return; // the client refused our certificate: what some tests want
                };
                if let Ok(mut plain) = TcpStream::connect(backend).await {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                }
            });
        }
    });
    port
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `ilios-tui --url URL whoami` with the student's token, a config of `config` lines and `env`.
async fn whoami(url: String, token: String, config: String, env: Vec<(String, String)>) -> Run {
    tokio::task::spawn_blocking(move || {
        let (dir, home) = common::private_home();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, config).unwrap();
        let out = common::command()
            .args([
                "--url",
                &url,
                "--config",
                &path.display().to_string(),
                "whoami",
            ])
            .envs(home)
            .envs(env)
            .env_remove("SSL_CERT_DIR")
            .env("ILIOS_TOKEN", token)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .unwrap()
}

fn write_pem(dir: &Path, ca: &CertifiedIssuer<'static, KeyPair>) -> String {
    let path = dir.join("school-ca.pem");
    std::fs::write(&path, ca.pem()).unwrap();
    path.display().to_string()
}

fn config_with_ca(pem: &str) -> String {
    format!("ca_file = {pem:?}\n")
}

#[tokio::test]
async fn a_school_authority_in_ca_file_or_ssl_cert_file_is_trusted() {
    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let ca = authority("School");
    let (cert, key) = leaf(&ca, &["localhost"], (-1, 30));
    let port = tls_front(&demo, cert, key).await;
    let dir = tempfile::tempdir().unwrap();
    let pem = write_pem(dir.path(), &ca);
    let url = format!("https://localhost:{port}");
    let token = demo.token_for(Persona::Student);

    let r = whoami(url.clone(), token.clone(), config_with_ca(&pem), vec![]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Walter Stephanie Powell"), "{}", r.stdout);

    let r = whoami(
        url,
        token,
        String::new(),
        vec![("SSL_CERT_FILE".into(), pem.clone())],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Walter Stephanie Powell"), "{}", r.stdout);
}

#[tokio::test]
async fn an_unknown_authority_is_said_as_such_with_what_to_do() {
    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let ca = authority("Unknown");
    let (cert, key) = leaf(&ca, &["localhost"], (-1, 30));
    let port = tls_front(&demo, cert, key).await;
    let url = format!("https://localhost:{port}");
    let r = whoami(url, demo.token_for(Persona::Student), String::new(), vec![]).await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("certificate comes from an authority this computer does not trust"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("ca_file"), "{}", r.stderr);
    assert!(!r.stderr.contains("could not reach"), "{}", r.stderr);
    assert!(!r.stderr.contains("your network"), "{}", r.stderr);
}

#[tokio::test]
async fn a_certificate_for_another_name_is_said_as_such() {
    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let ca = authority("School");
    let (cert, key) = leaf(&ca, &["ilios.example.edu"], (-1, 30));
    let port = tls_front(&demo, cert, key).await;
    let dir = tempfile::tempdir().unwrap();
    let pem = write_pem(dir.path(), &ca);
    let url = format!("https://localhost:{port}");
    let r = whoami(
        url,
        demo.token_for(Persona::Student),
        config_with_ca(&pem),
        vec![],
    )
    .await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("certificate is made for another name"),
        "{}",
        r.stderr
    );
}

#[tokio::test]
async fn an_expired_certificate_is_said_as_such() {
    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let ca = authority("School");
    let (cert, key) = leaf(&ca, &["localhost"], (-30, -2));
    let port = tls_front(&demo, cert, key).await;
    let dir = tempfile::tempdir().unwrap();
    let pem = write_pem(dir.path(), &ca);
    let url = format!("https://localhost:{port}");
    let r = whoami(
        url,
        demo.token_for(Persona::Student),
        config_with_ca(&pem),
        vec![],
    )
    .await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("certificate has expired"), "{}", r.stderr);
}

#[tokio::test]
async fn an_unusable_ca_file_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("not-a-ca.pem");
    std::fs::write(&bogus, "hello\n").unwrap();
    for path in [bogus.display().to_string(), "/nonexistent/ca.pem".into()] {
        let r = whoami(
            "https://localhost:9".into(),
            "x.y.z".into(),
            config_with_ca(&path),
            vec![],
        )
        .await;
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "the certificate authority file {path} cannot be used"
            )),
            "{}",
            r.stderr
        );
    }
}
