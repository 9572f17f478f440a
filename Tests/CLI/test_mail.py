"""`closeloop mail`: the pipe a company's MTA delivers the complaints address to, and the quarantine (issue 13).

The messages are built with Python's own email package, as a mail client would send them.
"""
import json
import os
import sqlite3
import subprocess
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.base import MIMEBase
from email import encoders

import pytest

BINARY = os.environ.get("CLOSELOOP_BINARY", ".build/debug/closeloop")


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def receive(data, message: bytes):
    return subprocess.run([BINARY, "mail", "receive", "--data-dir", str(data)], input=message, capture_output=True,
                          timeout=120)


def run(data, *args, check=True):
    result = subprocess.run([BINARY, *args, "--data-dir", str(data)], capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"closeloop {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def gbk_message(message_id="<cli-1@foxmail.com>"):
    """A Foxmail-style message: GBK text declared gb2312, a photo whose name is an RFC 2047 encoded word."""
    message = MIMEMultipart()
    message["From"] = f"{Header('王芳', 'gbk').encode()} <wang.fang@example.cn>"
    message["To"] = "kefu@shop.example.cn"
    message["Subject"] = Header("洗衣机漏水，镕基路门店", "gbk").encode()
    message["Message-ID"] = message_id
    text = MIMEBase("text", "plain", charset="gb2312")
    text.set_payload("洗衣机用了两次就漏水，要求更换。".encode("gbk"))
    encoders.encode_base64(text)
    message.attach(text)
    photo = MIMEBase("image", "jpeg")
    photo.set_payload(b"\xff\xd8\xff\xe0" + b"\x07" * 200)
    encoders.encode_base64(photo)
    name = Header("漏水照片.jpg", "gbk").encode()
    photo.add_header("Content-Disposition", "attachment", filename=name)
    message.attach(photo)
    return message.as_bytes()


def test_help_names_the_mail_commands():
    for command in (["mail"], ["mail", "receive"], ["mail", "list"], ["mail", "retry"]):
        result = subprocess.run([BINARY, *command, "--help"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "USAGE:" in result.stdout, result.stderr


def test_a_piped_message_becomes_one_complaint_however_often_it_is_delivered(data):
    first = receive(data, gbk_message())
    assert first.returncode == 0, first.stderr
    assert b" created complaint=" in first.stdout
    again = receive(data, gbk_message())
    assert again.returncode == 0 and again.stdout == first.stdout
    with sqlite3.connect(data / "closeloop.sqlite") as db:
        rows = db.execute("SELECT channel, subject, customer_email FROM complaints").fetchall()
        description = db.execute("SELECT description FROM complaints").fetchone()[0]
        outbox = db.execute("SELECT recipient, subject FROM outbox WHERE topic = 'customer.acknowledgement'").fetchall()
    assert rows == [("email", "洗衣机漏水，镕基路门店", "wang.fang@example.cn")]
    assert description == "洗衣机用了两次就漏水，要求更换。"
    assert len(outbox) == 1 and outbox[0][0] == "wang.fang@example.cn" and outbox[0][1].startswith("[#")


def test_the_mta_is_told_to_bounce_an_empty_message(data):
    result = receive(data, b"\r\n\r\n")
    assert result.returncode == 65
    assert b"empty" in result.stderr


def test_the_mta_is_told_to_try_again_when_the_database_cannot_be_opened(tmp_path):
    blocked = tmp_path / "file-not-a-directory"
    blocked.write_text("x")
    result = subprocess.run([BINARY, "mail", "receive", "--data-dir", str(blocked)], input=gbk_message(),
                            capture_output=True, timeout=120)
    assert result.returncode == 75, result.stderr


def test_an_unreadable_message_is_quarantined_listed_and_can_be_retried(data):
    result = receive(data, b"Subject: no sender\r\nMessage-ID: <q@x>\r\n\r\nhello\r\n")
    assert result.returncode == 0 and b" quarantined " in result.stdout
    message_id = result.stdout.split()[0].decode()
    listing = run(data, "mail", "list", "--status", "quarantined").stdout
    assert message_id in listing and "no sender" in listing
    assert " quarantined " in run(data, "mail", "retry", message_id).stdout
    assert run(data, "mail", "retry", "nope", check=False).returncode != 0


def test_mailbox_settings_are_shown_without_the_password_and_kept_when_set_back(data, tmp_path):
    settings = json.loads(run(data, "config", "show", "mailbox").stdout)
    assert settings["enabled"] is False and settings["maxMessageBytes"] == 25 * 1024 * 1024
    settings.update(enabled=True, host="imap.exmail.qq.com", username="kefu@shop.example.cn", password="s3cret!")
    path = tmp_path / "mailbox.json"
    path.write_text(json.dumps(settings))
    run(data, "config", "set", "mailbox", str(path))
    shown = json.loads(run(data, "config", "show", "mailbox").stdout)
    assert shown["password"] == "***" and shown["host"] == "imap.exmail.qq.com"
    path.write_text(json.dumps(shown | {"pollSeconds": 120}))
    run(data, "config", "set", "mailbox", str(path))
    with sqlite3.connect(data / "closeloop.sqlite") as db:
        stored = json.loads(db.execute("SELECT value FROM settings WHERE key = 'mailbox'").fetchone()[0])
        audit = db.execute("SELECT detail FROM audit_log WHERE action = 'settings.mailbox'").fetchall()
    assert stored["password"] == "s3cret!" and stored["pollSeconds"] == 120
    assert all("s3cret" not in detail for detail, in audit)
    path.write_text(json.dumps(shown | {"enabled": True, "host": ""}))
    refused = run(data, "config", "set", "mailbox", str(path), check=False)
    assert refused.returncode != 0 and "IMAP host" in refused.stderr


def test_wechat_accounts_are_shown_without_their_secrets_and_kept_when_set_back(data, tmp_path):
    account = {"name": "shop", "token": "kefuToken2026", "enabled": True, "appID": "wx5823bf96d3bd56c7",
               "appSecret": "b1c7e3a9f0d24c6e", "templateID": "Kc3xq2oU",
               "templateFields": {"character_string1": "number", "thing2": "state"}}
    path = tmp_path / "wechat.json"
    path.write_text(json.dumps({"accounts": [account]}))
    run(data, "config", "set", "wechat", str(path))
    shown = json.loads(run(data, "config", "show", "wechat").stdout)
    assert shown["accounts"][0]["token"] == "***" and shown["accounts"][0]["appSecret"] == "***"
    assert shown["accounts"][0]["templateFields"] == {"character_string1": "number", "thing2": "state"}
    shown["accounts"][0]["templateID"] = "NewTemplate9"
    path.write_text(json.dumps(shown))
    run(data, "config", "set", "wechat", str(path))
    with sqlite3.connect(data / "closeloop.sqlite") as db:
        stored = json.loads(db.execute("SELECT value FROM settings WHERE key = 'wechat'").fetchone()[0])
        audit = db.execute("SELECT detail FROM audit_log WHERE action = 'settings.wechat'").fetchall()
    saved = stored["accounts"][0]
    assert saved["token"] == "kefuToken2026" and saved["appSecret"] == "b1c7e3a9f0d24c6e"
    assert saved["templateID"] == "NewTemplate9"
    assert audit and all("kefuToken2026" not in detail and "b1c7e3a9" not in detail for detail, in audit)
    shown["accounts"][0]["templateFields"] = {"Thing 2": "state"}
    path.write_text(json.dumps(shown))
    refused = run(data, "config", "set", "wechat", str(path), check=False)
    assert refused.returncode != 0 and "such as thing2" in refused.stderr
