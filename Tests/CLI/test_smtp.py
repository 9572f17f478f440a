"""Email through an SMTP relay with STARTTLS, against a real local mail sink (aiosmtpd) with its own certificate.

The relay requires STARTTLS before anything else and AUTH only over TLS, as a company's submission server does.
"""
import base64
import email
import email.header
import json
import subprocess
import threading

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from test_cli import data, run  # noqa: F401 (data is a fixture)
import socket
import ssl


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """Keeps every message the relay accepted, with how the session was protected and who logged in."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append({
                "tls": session.ssl is not None,
                "login": session.auth_data.login if session.authenticated else None,
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "message": email.message_from_bytes(envelope.original_content),
            })
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"mailer" and auth_data.password == b"relay-secret"
    # handled=False: aiosmtpd answers a refusal with 535 itself.
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


def start_relay(certificate, starttls=True, implicit_tls=False):
    sink = Sink()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    if implicit_tls:
        controller = Controller(
            sink, hostname="127.0.0.1", port=free_port(), ssl_context=context, authenticator=authenticator,
            auth_required=True, auth_require_tls=False)
    else:
        controller = Controller(
            sink, hostname="127.0.0.1", port=free_port(), tls_context=context if starttls else None,
            require_starttls=starttls, authenticator=authenticator, auth_required=starttls, auth_require_tls=True)
    controller.start()
    return sink, controller


def use_relay(data, tmp_path, controller, certificate, password="relay-secret", host="localhost",
              security="starttls"):
    delivery = json.loads(run(data, "config", "show", "delivery").stdout)
    delivery["emailFrom"] = "closeloop@example.com"
    delivery["smtp"] = {
        "host": host, "port": controller.port, "security": security,
        "username": "mailer", "password": password, "trustedCertificatesPath": str(certificate[0]),
    }
    path = tmp_path / "delivery.json"
    path.write_text(json.dumps(delivery))
    run(data, "config", "set", "delivery", str(path))


def subject(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_a_test_message_goes_through_starttls_and_auth(data, tmp_path, certificate):
    sink, controller = start_relay(certificate)
    try:
        use_relay(data, tmp_path, controller, certificate)
        result = run(data, "notify", "test", "--channel", "email", "--address", "ops@example.com")
        assert "sent a test message" in result.stdout
        assert len(sink.messages) == 1
        received = sink.messages[0]
        assert received["tls"] and received["login"] == b"mailer"
        assert received["from"] == "closeloop@example.com" and received["to"] == ["ops@example.com"]
        assert subject(received["message"]) == "Closeloop 测试消息 / test message"
        body = received["message"].get_payload(decode=True).decode("utf-8")
        assert "通知渠道已经接通" in body
    finally:
        controller.stop()


def test_implicit_tls_on_a_submissions_port(data, tmp_path, certificate):
    sink, controller = start_relay(certificate, implicit_tls=True)
    try:
        use_relay(data, tmp_path, controller, certificate, security="tls")
        run(data, "notify", "test", "--channel", "email", "--address", "ops@example.com")
        assert len(sink.messages) == 1 and sink.messages[0]["login"] == b"mailer"
    finally:
        controller.stop()


def test_the_daily_report_is_delivered_from_the_outbox_by_smtp(data, tmp_path, certificate):
    sink, controller = start_relay(certificate)
    try:
        use_relay(data, tmp_path, controller, certificate)
        run(data, "user", "add", "wangfang", "--name", "王芳", "--role", "supervisor")
        run(data, "notify", "add", "--user", "wangfang", "--channel", "email", "--address", "wangfang@example.com")
        assert "queued: 1" in run(data, "report", "daily", "--date", "2026-11-24", "--send").stdout
        assert "sent 1, failed attempts 0" in run(data, "notify", "deliver").stdout
        assert [subject(m["message"]) for m in sink.messages] == ["系统监控日报 2026-11-24"]
        assert sink.messages[0]["message"]["Message-ID"].endswith("@closeloop>")
        sent = run(data, "notify", "outbox", "--status", "sent").stdout
        assert "wangfang@example.com" in sent and "\tsent\t" in sent
        # Delivered once: another pass finds nothing to send.
        assert "sent 0, failed attempts 0" in run(data, "notify", "deliver").stdout
        assert len(sink.messages) == 1
    finally:
        controller.stop()


def test_a_relay_without_starttls_gets_nothing_and_the_message_fails_at_once(data, tmp_path, certificate):
    sink, controller = start_relay(certificate, starttls=False)
    try:
        use_relay(data, tmp_path, controller, certificate)
        refused = run(data, "notify", "test", "--channel", "email", "--address", "ops@example.com", check=False)
        assert refused.returncode != 0 and "does not offer STARTTLS" in refused.stderr
        run(data, "user", "add", "wangfang", "--name", "王芳", "--role", "supervisor")
        run(data, "notify", "add", "--user", "wangfang", "--channel", "email", "--address", "wangfang@example.com")
        run(data, "report", "daily", "--date", "2026-11-24", "--send")
        assert "sent 0, failed attempts 1" in run(data, "notify", "deliver").stdout
        # A downgrade is permanent: not retried every few minutes, shown as failed with the reason.
        failed = run(data, "notify", "outbox", "--status", "failed").stdout.strip().splitlines()
        assert len(failed) == 1 and "does not offer STARTTLS" in failed[0]
        assert sink.messages == []
        message_id = failed[0].split("\t")[0]
        assert "queued" in run(data, "notify", "retry", message_id).stdout
        assert run(data, "notify", "outbox", "--status", "failed").stdout.strip() == ""
        assert message_id in run(data, "notify", "outbox", "--status", "pending").stdout
    finally:
        controller.stop()


def test_a_wrong_password_and_an_untrusted_certificate_are_refused(data, tmp_path, certificate):
    sink, controller = start_relay(certificate)
    try:
        use_relay(data, tmp_path, controller, certificate, password="wrong-password")
        refused = run(data, "notify", "test", "--channel", "email", "--address", "ops@example.com", check=False)
        assert refused.returncode != 0 and "535" in refused.stderr
        # The system's trust roots do not know the sink's own certificate: the TLS handshake fails.
        delivery = json.loads(run(data, "config", "show", "delivery").stdout)
        delivery["smtp"]["password"] = "relay-secret"
        del delivery["smtp"]["trustedCertificatesPath"]
        path = tmp_path / "untrusted.json"
        path.write_text(json.dumps(delivery))
        run(data, "config", "set", "delivery", str(path))
        untrusted = run(data, "notify", "test", "--channel", "email", "--address", "ops@example.com", check=False)
        assert untrusted.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        assert sink.messages == []
    finally:
        controller.stop()


def test_bad_relay_settings_are_refused_with_reasons(data, tmp_path):
    delivery = json.loads(run(data, "config", "show", "delivery").stdout)
    delivery["smtp"] = {"host": "", "port": 70000, "security": "plain", "username": "mailer", "password": "x"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(delivery))
    refused = run(data, "config", "set", "delivery", str(path), check=False)
    output = refused.stderr + refused.stdout
    assert refused.returncode != 0
    assert "SMTP host is missing" in output and "between 1 and 65535" in output and "never sent without TLS" in output
