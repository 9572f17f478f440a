"""Complaints that arrive without anyone typing them in (issue 13): a customer's mail, piped in by the company's MTA
as `closeloop mail receive`, and a chat message the shop's app posts to the signed webhook. Staff find them in the
queue like any other complaint, with the channel they came by, what the customer was sent, and the customer's reply
by mail in the timeline; the administrator sees every received mail on the mail intake page.

The mail is built with Python's own email package as Foxmail and QQ Mail send it (GBK text labelled gb2312, RFC 2047
subject, sender name and attachment name).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import subprocess
import time
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
import requests

from support import (
    all_of, click_and_wait, fill, follow_queue_link, go, one, open_complaint, open_filters, page_problems, path_of,
    screenshot, status, texts, unique_phone, url,
)

WEBHOOK_SOURCE = "demo-shop"  # the demo's webhook source and its secret (closeloop serve --demo)
WEBHOOK_SECRET = b"closeloop-demo-webhook"
QQ_QUOTE = "------------------ 原始邮件 ------------------"


@dataclass
class Mail:
    """A customer's mail that the MTA handed over, and what `closeloop mail receive` answered."""
    token: str
    sender: str
    subject: str
    text: str
    attachment: str
    receipt: str

    @property
    def complaint_id(self) -> str:
        match = re.search(r"\bcomplaint=(\S+)", self.receipt)
        assert match, self.receipt
        return match.group(1)


def receive(mail_pipe: list[str], message: bytes) -> str:
    """Pipes one message into the server's database as the MTA does; the command's answer (stdout)."""
    result = subprocess.run(mail_pipe, input=message, capture_output=True, timeout=120)
    assert result.returncode == 0, f"mail receive exited {result.returncode}: {result.stderr.decode(errors='replace')}"
    return result.stdout.decode()


def foxmail_message(sender: str, name: str, subject: str, text: str, attachment: str) -> bytes:
    """A Foxmail-style message: GBK text declared gb2312 (base64), a Chinese subject and sender name as RFC 2047
    words, and a photo whose file name is a GBK encoded word."""
    message = MIMEMultipart()
    message["From"] = f"{Header(name, 'gbk').encode()} <{sender}>"
    message["To"] = "kefu@shop.example.com"
    message["Subject"] = Header(subject, "gbk").encode()
    message["Message-ID"] = f"<{uuid.uuid4().hex}@foxmail.com>"
    message["X-Mailer"] = "Foxmail 7.2.25.254[cn]"
    body = MIMEBase("text", "plain", charset="gb2312")
    body.set_payload(text.encode("gbk"))
    encoders.encode_base64(body)
    message.attach(body)
    photo = MIMEBase("image", "jpeg")
    photo.set_payload(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + bytes(range(256)))
    encoders.encode_base64(photo)
    photo.add_header("Content-Disposition", "attachment", filename=Header(attachment, "gbk").encode())
    message.attach(photo)
    return message.as_bytes()


@pytest.fixture(scope="module")
def emailed(mail_pipe) -> Mail:
    """A new complaint by mail, as a customer writes it from Foxmail. (Addresses under example.com, a reserved
    domain: the demo server really sends the customer's acknowledgement, through /usr/sbin/sendmail when there is
    one.)"""
    token = "mail" + uuid.uuid4().hex[:8]
    mail = Mail(token=token, sender=f"zhao.{token}@example.com", subject=f"冰箱不制冷，要求上门维修 {token}",
                text="冰箱买了一周就不制冷了，冷藏室温度一直在十五度左右，要求尽快上门维修。", attachment="漏水照片.jpg",
                receipt="")
    mail.receipt = receive(mail_pipe, foxmail_message(mail.sender, "赵女士", mail.subject, mail.text, mail.attachment))
    assert re.fullmatch(r"\S+ created complaint=\S+\n?", mail.receipt), mail.receipt
    return mail


def number_of(api, mail: Mail) -> str:
    return api.call("GET", f"/complaints/{mail.complaint_id}", "liqiang")["number"]


def notices(driver) -> list[str]:
    """The side section "发给客户的消息": one line per message the customer was sent (its kind, channel, address)."""
    sections = all_of(driver, "section[aria-labelledby=notices-heading]")
    assert sections, "the complaint page has no section of the messages sent to the customer"
    assert one(sections[0], "h2").text.strip() == "发给客户的消息"
    return texts(sections[0], "ol.notices li summary")


def intake_facts(driver) -> dict[str, str]:
    facts = one(driver, "section[aria-labelledby=intake-heading] dl.facts")
    return dict(zip(texts(facts, "dt"), texts(facts, "dd")))


def test_an_emailed_complaint_arrives_in_the_queue(browsers, emailed):
    """A customer's mail is waiting in 待分派 under its own (Chinese) subject; its page says it came by 邮件, lists
    the photo under its Chinese name, and shows that the customer was sent the 受理确认 with the number."""
    supervisor = browsers.staff("liqiang")
    click_and_wait(supervisor, one(supervisor, "nav.tabs a[href='/queue?view=unassigned']"))
    open_filters(supervisor)
    fill(supervisor, "q", emailed.token)
    click_and_wait(supervisor, one(supervisor, "form[role=search] button[type=submit]"))
    assert status(supervisor) == 200
    # One script: the live refresh may replace the rows at any moment.
    rows = supervisor.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tbody tr'))"
        ".map(tr => [tr.cells[0].textContent.trim(), tr.cells[1].textContent.trim(), tr.cells[2].textContent.trim()]);")
    listed = [row for row in rows if row[1] == emailed.subject]
    assert len(listed) == 1, f"the mail's subject {emailed.subject!r} is not listed once: {rows}"
    number, _, customer = listed[0]
    assert customer == "赵女士", rows

    follow_queue_link(supervisor, number)
    assert path_of(supervisor) == f"/complaints/{number}" and status(supervisor) == 200
    head = one(supervisor, ".complaint-head h1").text
    assert head == f"{number} {emailed.subject}", head
    facts = intake_facts(supervisor)
    assert facts.get("受理渠道") == "邮件", facts
    description = one(supervisor, "section[aria-labelledby=intake-heading] p.prewrap").text
    assert description == emailed.text, description
    files = texts(supervisor, "section[aria-labelledby=intake-heading] ul.files li a")
    assert files == [emailed.attachment], files
    sent = notices(supervisor)
    assert any(line.startswith("受理确认") and "邮件" in line for line in sent), sent
    # The acknowledgement itself carries the number the customer quotes later.
    [acknowledgement] = [li for li in all_of(supervisor, "ol.notices li") if "受理确认" in one(li, "summary").text]
    one(acknowledgement, "summary").click()
    body = one(acknowledgement, "p.prewrap").text
    assert number in body and "赵女士" in body, body
    supervisor.execute_script("document.activeElement.blur();")  # no focus ring in the picture
    screenshot(supervisor, "mail-complaint")


def test_a_reply_by_mail_is_added_to_the_timeline(browsers, api, emailed, mail_pipe):
    """The customer answers from QQ Mail with [#number] in the subject, from the address she filed with: the
    complaint's timeline shows 客户来信 with what she wrote, not the quoted original below it."""
    number = number_of(api, emailed)
    supervisor = browsers.staff("liqiang")
    open_complaint(supervisor, number)
    assert one(supervisor, ".complaint-head .number").text.strip() == number

    reply_text = f"师傅约了周六上门，但周六家里没人，能否改到周日上午？回复 {emailed.token}"
    quoted = "\n".join([
        QQ_QUOTE,
        '发件人: "客服中心"<kefu@shop.example.com>;',
        "发送时间: 2026年12月4日(星期五) 上午8:01",
        f'收件人: "赵女士"<{emailed.sender}>;',
        f"主题: [#{number}] 您的投诉已受理",
        "",
        f"尊敬的赵女士：您的投诉已受理，单号 {number}。引用的原文 {emailed.token}",
    ])
    reply = MIMEText(f"{reply_text}\n\n{quoted}\n", "plain", "utf-8")
    reply["From"] = f"{Header('赵女士', 'utf-8').encode()} <{emailed.sender}>"
    reply["To"] = "kefu@shop.example.com"
    reply["Subject"] = Header(f"回复：[#{number}] 您的投诉已受理", "utf-8").encode()
    reply["Message-ID"] = f"<tencent_{uuid.uuid4().hex.upper()}@qq.com>"
    reply["X-Mailer"] = "QQMail 2.x"
    receipt = receive(mail_pipe, reply.as_bytes())
    assert re.fullmatch(r"\S+ appended complaint=\S+\n?", receipt), receipt
    assert receipt.split("complaint=")[1].strip() == emailed.complaint_id, (receipt, emailed.receipt)

    open_complaint(supervisor, number)
    events = all_of(supervisor, "#timeline ol.timeline > li")
    letters = [e for e in events if one(e, ".event-head strong").text.strip() == "客户来信"]
    assert len(letters) == 1, f"no single 客户来信 in the timeline: {texts(supervisor, '#timeline ol.timeline > li')}"
    letter = letters[0].text
    assert reply_text in letter, letter
    assert "原始邮件" not in letter and "引用的原文" not in letter, f"the quoted original was kept: {letter}"
    assert "引用的原文" not in one(supervisor, "#timeline").text


def test_a_signed_chat_message_from_the_shop_app_arrives(browsers):
    """The shop's app posts a customer's chat message to the webhook, signed with the source's secret: it becomes a
    complaint on the 社交/即时消息 channel, and the same message posted again is recognised, not filed twice."""
    token = "chat" + uuid.uuid4().hex[:8]
    text = f"小程序下单的空调五天了还没发货，在线客服也不回复。{token}"
    body = json.dumps({"messageId": f"shop-{token}", "customer": {"name": "郑女士", "phone": unique_phone()},
                       "text": text}, ensure_ascii=False).encode()

    def post() -> requests.Response:
        timestamp = str(int(time.time()))
        signature = hmac.new(WEBHOOK_SECRET, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return requests.post(
            url(f"/api/v1/intake/webhook/{WEBHOOK_SOURCE}"), data=body, timeout=30,
            headers={"Content-Type": "application/json", "X-Closeloop-Timestamp": timestamp,
                     "X-Closeloop-Signature": f"sha256={signature}"})

    first = post()
    assert first.status_code == 201, f"{first.status_code} {first.text[:500]}"
    receipt = first.json()
    assert receipt["status"] == "created" and receipt["duplicate"] is False, receipt
    number = receipt["complaintNumber"]
    assert re.fullmatch(r"\d+", str(number)), receipt

    again = post()
    assert again.status_code == 200, f"{again.status_code} {again.text[:500]}"
    assert again.json()["duplicate"] is True and again.json()["complaintNumber"] == number, again.json()

    supervisor = browsers.staff("liqiang")
    open_complaint(supervisor, str(number))
    facts = intake_facts(supervisor)
    assert facts.get("受理渠道") == f"社交/即时消息 · 接入系统 {WEBHOOK_SOURCE}", facts
    description = one(supervisor, "section[aria-labelledby=intake-heading] p.prewrap").text
    assert description == text, description
    customer = one(supervisor, "section[aria-labelledby=customer-heading] dl.facts").text
    assert "郑女士" in customer, customer

    go(supervisor, f"/queue?view=unassigned&q={token}")
    numbers = supervisor.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tbody tr td:first-child a'))"
        ".map(a => a.textContent.trim());")
    assert numbers == [str(number)], f"posted twice, listed {numbers}"


def test_the_administrator_sees_the_mail_on_the_intake_page(browsers, api, emailed):
    """Administration › 邮件受理 lists the received mail with its sender, its subject and a link to the complaint
    it opened."""
    number = number_of(api, emailed)
    admin = browsers.staff("admin")
    go(admin, "/admin/mailbox")
    assert status(admin) == 200
    assert one(admin, "h2#mb-received").text.strip() == "收到的邮件"
    rows = [r for r in all_of(admin, "section[aria-labelledby=mb-received] table.list tbody tr")
            if emailed.subject in r.text]
    assert len(rows) == 1, texts(admin, "section[aria-labelledby=mb-received] table.list tbody tr")
    row = rows[0]
    assert emailed.sender in one(row, "td:nth-child(3)").text, row.text
    assert one(row, "td:nth-child(2)").text.strip() == "新建投诉", row.text
    links = [a.text.strip() for a in all_of(row, f"a[href='/complaints/{number}']")]
    assert links == [number], row.text
    screenshot(admin, "admin-mailbox", max_height=1800)


WECHAT_ACCOUNT = "demo-wechat"  # the demo's WeChat official account and its token (closeloop serve --demo)
WECHAT_TOKEN = "closeloopdemo"


def wechat_push(xml: str, account: str = WECHAT_ACCOUNT, token: str = WECHAT_TOKEN) -> requests.Response:
    """Pushes a follower's message as WeChat does: the body is the message's XML, the query is signed with SHA-1
    over the account's token, the timestamp and the nonce, sorted and joined."""
    timestamp, nonce = str(int(time.time())), str(uuid.uuid4().int % 10**10)
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return requests.post(
        url(f"/wechat/{account}?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid=o1"),
        data=xml.encode(), headers={"Content-Type": "text/xml"}, timeout=30)


def wechat_text(open_id: str, content: str, message_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_demo0000001]]></ToUserName><FromUserName><![CDATA[{open_id}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{message_id}</MsgId></xml>")


def test_a_wechat_follower_writes_in_and_gets_the_number(browsers):
    """A follower of the company's WeChat official account writes in: WeChat shows them the number at once, staff
    find the complaint in 待分派 on the 社交/即时消息 channel, and the follower's next message is added to it."""
    token = "wx" + uuid.uuid4().hex[:8]
    open_id = "oDemo_" + uuid.uuid4().hex[:22]
    first = wechat_push(wechat_text(open_id, f"买的扫地机器人充不进电，客服电话打不通 {token}", uuid.uuid4().int % 10**16))
    assert first.status_code == 200, f"{first.status_code} {first.text[:300]}"
    match = re.search(r"单号 (\d+)", first.text)
    assert match and f"<ToUserName><![CDATA[{open_id}]]></ToUserName>" in first.text, first.text
    number = match.group(1)
    second = wechat_push(wechat_text(open_id, f"补充：购买于 11 月 20 日 {token}", uuid.uuid4().int % 10**16))
    assert f"已补充到您的投诉 {number}" in second.text, second.text

    supervisor = browsers.staff("liqiang")
    go(supervisor, f"/queue?view=unassigned&q={token}")
    numbers = supervisor.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tbody tr td:first-child a'))"
        ".map(a => a.textContent.trim());")
    assert numbers == [number], numbers
    open_complaint(supervisor, number)
    facts = intake_facts(supervisor)
    assert facts.get("受理渠道") == f"社交/即时消息 · 微信公众号 {WECHAT_ACCOUNT}", facts
    customer = one(supervisor, "section[aria-labelledby=customer-heading] dl.facts").text
    assert "微信用户" in customer, customer
    letters = [e.text for e in all_of(supervisor, "#timeline ol.timeline > li")
               if one(e, ".event-head strong").text.strip() == "客户来信"]
    assert len(letters) == 1 and "购买于 11 月 20 日" in letters[0], letters
    screenshot(supervisor, "wechat-complaint")


class WeChatAPIStandIn:
    """WeChat's API as the server under test reaches it: `stable_token` gives a token for the right AppID and
    AppSecret, a template message sent with it is recorded and answered with errcode 0, as the published API does."""

    APP_ID, APP_SECRET = "wx5823bf96d3bd56c7", "b1c7e3a9f0d24c6e"

    def __init__(self) -> None:
        self.sent: list[dict] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                path, _, query = self.path.partition("?")
                if path == "/cgi-bin/stable_token":
                    right = body.get("appid") == stand_in.APP_ID and body.get("secret") == stand_in.APP_SECRET
                    answer = {"access_token": "TOKEN-1", "expires_in": 7200} if right else {"errcode": 40125}
                elif path == "/cgi-bin/message/template/send" and "access_token=TOKEN-1" in query:
                    stand_in.sent.append(body)
                    answer = {"errcode": 0, "errmsg": "ok", "msgid": len(stand_in.sent)}
                else:
                    answer = {"errcode": 40001, "errmsg": "invalid credential"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def wechat_api():
    stand_in = WeChatAPIStandIn()
    yield stand_in
    stand_in.server.shutdown()


def test_the_administrator_connects_a_wechat_account_and_the_follower_is_told_on_wechat(browsers, wechat_api):
    """Administration › 接入渠道: the administrator adds an official account with its token, AppID, AppSecret and a
    template whose fields show the number and the state. A follower who writes to it gets the number as the reply,
    and the acknowledgement as a template message on WeChat; the complaint page lists it as sent by 微信."""
    suffix = uuid.uuid4().hex[:8]
    name, token = f"wx-{suffix}", f"tok{suffix}"
    admin = browsers.staff("admin")
    go(admin, "/admin/channels")
    assert one(admin, "h2#ch-wechat").text.strip() == "微信公众号"
    click_and_wait(admin, one(admin, "a[href='/admin/channels/wechat/new']"))
    for field, value in [("wx-name", name), ("wx-token", token), ("wx-appid", WeChatAPIStandIn.APP_ID),
                         ("wx-secret", WeChatAPIStandIn.APP_SECRET), ("wx-template", "Kc3xq2oU_tmpl"),
                         ("wx-api", wechat_api.url), ("wx-field-number", "character_string1"),
                         ("wx-field-state", "thing2")]:
        fill(admin, field, value)
    screenshot(admin, "admin-channel-wechat", max_height=1800)
    click_and_wait(admin, one(admin, "form.card button.primary"))
    assert path_of(admin) == "/admin/channels", page_problems(admin)
    rows = [r.text for r in all_of(admin, "section[aria-labelledby=ch-wechat] tbody tr") if name in r.text]
    assert len(rows) == 1 and "模板消息" in rows[0] and f"/wechat/{name}" in rows[0], rows
    assert token not in admin.page_source and WeChatAPIStandIn.APP_SECRET not in admin.page_source

    open_id = "oFollower_" + uuid.uuid4().hex[:18]
    reply = wechat_push(wechat_text(open_id, f"会员卡余额被莫名扣了 200 元 {suffix}", uuid.uuid4().int % 10**16),
                        account=name, token=token)
    match = re.search(r"单号 (\d+)", reply.text)
    assert reply.status_code == 200 and match, reply.text
    number = match.group(1)

    # The server's outbox sends every few seconds.
    deadline = time.time() + 40
    while not wechat_api.sent and time.time() < deadline:
        time.sleep(0.5)
    assert len(wechat_api.sent) == 1, wechat_api.sent
    sent = wechat_api.sent[0]
    assert sent["touser"] == open_id and sent["template_id"] == "Kc3xq2oU_tmpl", sent
    assert sent["data"]["character_string1"]["value"] == number, sent
    assert sent["data"]["thing2"]["value"].startswith("我们已收到您的投诉"), sent

    supervisor = browsers.staff("liqiang")
    deadline = time.time() + 20
    while True:
        open_complaint(supervisor, number)
        lines = notices(supervisor)
        if any("已发送" in line for line in lines) or time.time() > deadline:
            break
        time.sleep(1)
    assert any(line.startswith("受理确认") and "微信" in line and f"{name}/…" in line for line in lines), lines
    assert any("已发送" in line for line in lines), lines
    assert open_id not in one(supervisor, "section[aria-labelledby=notices-heading]").text
    facts = intake_facts(supervisor)
    assert facts.get("受理渠道") == f"社交/即时消息 · 微信公众号 {name}", facts
    screenshot(supervisor, "wechat-notice")
