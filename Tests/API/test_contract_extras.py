"""What the schemathesis contract check can not see: the whole loop, versions, idempotency, recusal and how malformed
requests are refused.

Run by scripts/api-contract.sh against a fresh `closeloop serve --demo`; it sets
  CLOSELOOP_CONTRACT_BASE_URL        e.g. http://127.0.0.1:PORT/api/v1
  CLOSELOOP_CONTRACT_TOKEN           liqiang (supervisor + agent)
  CLOSELOOP_CONTRACT_TOKEN_AGENT     zhangwei (agent)
  CLOSELOOP_CONTRACT_TOKEN_HANDLER   wangfang (handler in after_sales, authority ¥200)
  CLOSELOOP_CONTRACT_TOKEN_MANAGER   zhaolei (department manager in after_sales, authority ¥2000)
  CLOSELOOP_CONTRACT_TOKEN_VP        chenjing (vice president)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import uuid

import pytest
import requests

BASE = os.environ["CLOSELOOP_CONTRACT_BASE_URL"].rstrip("/")
# The demo's webhook source (DemoData.webhookSource), which `serve --demo` sets up.
WEBHOOK_SOURCE = "demo-shop"
WEBHOOK_SECRET = "closeloop-demo-webhook"
TOKENS = {
    "supervisor": os.environ["CLOSELOOP_CONTRACT_TOKEN"],
    "agent": os.environ["CLOSELOOP_CONTRACT_TOKEN_AGENT"],
    "handler": os.environ["CLOSELOOP_CONTRACT_TOKEN_HANDLER"],
    "manager": os.environ["CLOSELOOP_CONTRACT_TOKEN_MANAGER"],
    "vp": os.environ["CLOSELOOP_CONTRACT_TOKEN_VP"],
}
TIMEOUT = 30
PROBLEM = "application/problem+json"


def call(method: str, path: str, who: str | None = "supervisor", *, json_body=None, data=None, headers=None):
    sent = dict(headers or {})
    if who is not None:
        sent["Authorization"] = f"Bearer {TOKENS[who]}"
    if json_body is not None:
        data = json.dumps(json_body).encode()
        sent.setdefault("Content-Type", "application/json")
    return requests.request(method, BASE + path, data=data, headers=sent, timeout=TIMEOUT)


def expect(response: requests.Response, status: int, code: str | None = None) -> dict:
    """The JSON body of a response with this status (and, for a problem, this code); a readable failure otherwise."""
    where = f"{response.request.method} {response.request.url} -> {response.status_code}: {response.text[:2000]}"
    assert response.status_code == status, where
    body = response.json()
    if status >= 400:
        assert response.headers.get("Content-Type", "").startswith(PROBLEM), where
        assert body["status"] == status, where
        if code is not None:
            assert body["code"] == code, where
    return body


def new_complaint(who: str = "agent", **fields) -> dict:
    body = {
        "channel": "phone",
        "customer": {"name": "契约测试客户", "phone": fields.pop("phone", f"139{uuid.uuid4().int % 10**8:08d}")},
        "subject": "契约测试：热水器漏水",
        "description": "安装一周后热水器底部持续漏水，希望上门维修并赔偿地板损失。",
        "remedies": ["repair", "compensation"],
    }
    body.update(fields)
    return expect(call("POST", "/complaints", who, json_body=body), 201)


def act(complaint: dict, action: str, who: str, **fields) -> dict:
    """Performs an action with the version just read; returns the complaint after it."""
    response = call(
        "POST", f"/complaints/{complaint['id']}/{action}", who, json_body={"version": complaint["version"], **fields}
    )
    after = expect(response, 200)
    assert after["version"] > complaint["version"], f"{action} did not advance the version"
    return after


def customer(path: str, complaint: dict, phone: str, **fields) -> dict:
    """The customer's own endpoints: no token, the number and the phone the complaint was filed with (staff views
    may show the phone masked, so the caller keeps it)."""
    body = {"number": complaint["number"], "phone": phone, **fields}
    return expect(call("POST", path, None, json_body=body), 200)


def fetch(complaint: dict, who: str = "supervisor") -> dict:
    return expect(call("GET", f"/complaints/{complaint['id']}", who), 200)


# --- The loop --------------------------------------------------------------------------------------------------


def investigated(who_creates: str = "agent") -> dict:
    """A complaint taken from intake to `investigating` in after_sales, owned by zhangwei, handled by wangfang."""
    c = new_complaint(who_creates)
    assert c["state"] == "received"
    c = act(c, "check-completeness", "agent", complete=True, note="身份、电话、订单号已核实")
    c = act(c, "decide-validity", "agent", valid=True)
    assert c["state"] == "validated", c["state"]
    c = act(
        c, "assign", "supervisor", category="after_sales", priority="P1", severity="very_dissatisfied",
        department="after_sales", owner="zhangwei", handler="wangfang",
    )
    assert c["state"] == "investigating", c["state"]
    assert (c.get("department"), c.get("owner"), c.get("handler")) == ("after_sales", "zhangwei", "wangfang")
    return c


def analyse_and_propose(c: dict, compensation: str) -> dict:
    c = act(
        c, "submit-analysis", "handler", problemType="产品质量", rootCause="hardware_fault", technical=True,
        findings="密封圈老化导致漏水", suggestedSolution="更换密封圈并赔偿地板损失",
    )
    return act(
        c, "propose-solution", "handler", types=["repair", "compensation"],
        description="上门更换密封圈，并赔偿地板损失", compensation=compensation,
    )


def test_full_loop_with_approval_rejection_and_customer_confirmation():
    c = investigated()
    phone = c["customer"]["phone"]  # as the agent who filed it saw it: unmasked

    # ¥3000 is over the handler's ¥200 (and the department manager's ¥2000): the vice president must approve.
    c = analyse_and_propose(c, "3000")
    assert c["state"] == "awaiting_approval", c["state"]
    assert c["proposal"]["requiredApprover"] == "vice_president", c["proposal"]
    assert c["proposal"]["compensation"] in ("3000", "3000.00"), c["proposal"]

    refused = call("POST", f"/complaints/{c['id']}/decide-approval", "manager",
                   json_body={"version": c["version"], "approved": True})
    expect(refused, 403, "approval.insufficient_authority")
    assert fetch(c)["version"] == c["version"], "a refused approval changed the complaint"

    c = act(c, "decide-approval", "vp", approved=True, comment="同意赔偿")
    assert c["state"] == "proposed", c["state"]

    # The customer sees the proposal and rejects it.
    tracked = customer("/track", c, phone)
    assert tracked["state"] == "proposed" and tracked["canRespondToProposal"] is True, tracked
    tracked = customer("/track/respond", c, phone, accepted=False, comment="赔偿太少")
    assert tracked["state"] != "proposed" and tracked["canRespondToProposal"] is False, tracked
    c = fetch(c)
    assert c["state"] == "investigating", c["state"]

    # A new proposal within the handler's authority; the customer accepts it.
    c = analyse_and_propose(c, "150")
    assert c["state"] == "proposed", c["state"]
    tracked = customer("/track/respond", c, phone, accepted=True)
    assert tracked["state"] == "executing", tracked
    c = fetch(c)

    c = act(c, "record-progress", "handler", note="已更换密封圈", workFinished=True)
    c = act(c, "return-result", "handler", summary="维修完成，赔偿已发放")
    assert c["state"] == "verifying", c["state"]

    tracked = customer("/track/confirm", c, phone, solved=True, satisfied=True, score=5, comment="满意")
    assert tracked["satisfaction"] == 5, tracked
    c = fetch(c)
    assert c["state"] == "return_visit", c["state"]
    assert c["satisfaction"] == 5

    c = act(c, "record-return-visit", "agent", notes="回访：客户确认问题已解决")
    assert c["state"] == "awaiting_countersign", c["state"]
    c = act(c, "close", "supervisor", note="会签结案")
    assert c["state"] == "closed" and c["resolution"] == "resolved", (c["state"], c.get("resolution"))
    assert "closedAt" in c

    # Every step is in the history, in order.
    events = expect(call("GET", f"/complaints/{c['id']}/history"), 200)["events"]
    sequences = [e["sequence"] for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert [e["type"] for e in events] == [
        "received", "completeness_checked", "validity_decided", "assigned",
        "analysis_submitted", "solution_proposed", "approval_decided", "customer_responded",
        "analysis_submitted", "solution_proposed", "customer_responded",
        "progress_recorded", "result_returned", "verified", "return_visit_recorded", "closed",
    ]
    assert events[7]["actor"]["kind"] == "customer" and events[13]["actor"]["kind"] == "customer", events


def test_department_manager_may_approve_within_authority():
    c = analyse_and_propose(investigated(), "1500")
    assert c["state"] == "awaiting_approval" and c["proposal"]["requiredApprover"] == "department_manager", c
    c = act(c, "decide-approval", "manager", approved=True)
    assert c["state"] == "proposed"


# --- Versions and idempotency ---------------------------------------------------------------------------------


def test_stale_version_is_a_conflict():
    c = new_complaint()
    fresh = act(c, "add-note", "agent", text="第一条备注", internal=True)
    stale = call("POST", f"/complaints/{c['id']}/add-note", "agent", json_body={"version": c["version"], "text": "x"})
    problem = expect(stale, 409, "complaint.version_conflict")
    assert problem.get("currentVersion") == fresh["version"], problem
    assert fetch(c)["version"] == fresh["version"]


def test_idempotency_key_replay_returns_the_first_complaint():
    key = f"contract-{uuid.uuid4()}"
    body = {
        "channel": "web",
        "customer": {"name": "Idempotent Customer", "email": "idem@example.com"},
        "subject": "Replayed intake",
        "description": "The same request sent twice must create one complaint.",
    }
    first = expect(call("POST", "/complaints", "agent", json_body=body, headers={"Idempotency-Key": key}), 201)
    again = expect(call("POST", "/complaints", "agent", json_body=body, headers={"Idempotency-Key": key}), 200)
    assert again["id"] == first["id"] and again["number"] == first["number"]
    assert again["version"] == first["version"], "the replay changed the complaint"


# --- Recusal ----------------------------------------------------------------------------------------------------


def test_recused_staff_may_not_act():
    c = new_complaint(complainedAboutUser="wangfang")
    assert c["complainedAboutUser"] == "wangfang"
    response = call("POST", f"/complaints/{c['id']}/add-note", "handler",
                    json_body={"version": c["version"], "text": "我想解释一下"})
    expect(response, 403, "complaint.recused")
    assert fetch(c)["version"] == c["version"]


# --- Malformed and oversized requests ---------------------------------------------------------------------------

VALID_INTAKE = {
    "channel": "phone",
    "customer": {"name": "格式测试", "phone": "13700000000"},
    "subject": "格式测试",
    "description": "格式测试",
}


def post_raw(data: bytes, content_type: str = "application/json", headers=None):
    return call("POST", "/complaints", "agent", data=data, headers={"Content-Type": content_type, **(headers or {})})


def test_malformed_json_is_400():
    expect(post_raw(b'{"channel": "phone", "customer": '), 400)


def test_unknown_enum_value_is_422_naming_the_field():
    problem = expect(post_raw(json.dumps({**VALID_INTAKE, "channel": "carrier_pigeon"}).encode()), 422,
                     "validation.failed")
    assert [error["field"] for error in problem["errors"]] == ["channel"]


# -- Every limit the document states, walked from the document itself ------------------------------------------------

def _document() -> dict:
    return requests.get(f"{BASE}/openapi.json", timeout=30).json()


def _resolve(document: dict, schema: dict | None) -> dict:
    schema = schema or {}
    if "$ref" in schema:
        return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _valid(document: dict, schema: dict | None):
    """A value the schema accepts: required members only, the first enum value, the minimum."""
    schema = _resolve(document, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _valid(document, properties.get(name)) for name in schema.get("required", [])}
    if kind == "array":
        return [_valid(document, schema.get("items"))]
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if schema.get("format") == "date-time":
        return "2026-04-13T09:00:00+08:00"
    if "pattern" in schema:
        return "1"
    return "x"


def _valid_around(document: dict, schema: dict, field: str):
    """A valid body in which the optional objects `field` lies inside are present and valid themselves, so only the
    one limit is broken."""
    body = _valid(document, schema)
    current, members = body, _resolve(document, schema)
    for part in field.replace("[0]", "").split(".")[:-1]:
        member = _resolve(document, members.get("properties", {}).get(part))
        if member.get("type") != "object":
            break
        current = current.setdefault(part, _valid(document, member))
        members = member
    return body


def _violations(document: dict, schema: dict | None, path: str):
    """(field, value) pairs, each breaking one limit the schema states, down through objects and array items."""
    schema = _resolve(document, schema)
    if schema.get("type") == "object":
        for name, member in schema.get("properties", {}).items():
            yield from _violations(document, member, f"{path}.{name}" if path else name)
        return
    if "enum" in schema:
        yield path, "not-a-listed-value"
    if "maxLength" in schema:
        yield path, "a" * (schema["maxLength"] + 1)
    if "pattern" in schema:
        yield path, "9999999999999.999"
    if schema.get("format") == "date-time":
        yield path, "2026-02-30T10:00:00Z"
    if "minimum" in schema:
        yield path, schema["minimum"] - 1
    if "maximum" in schema:
        yield path, schema["maximum"] + 1
    if schema.get("type") == "array":
        item = _valid(document, schema.get("items"))
        if "maxItems" in schema:
            yield path, [item] * (schema["maxItems"] + 1)
        for field, value in _violations(document, schema.get("items"), f"{path}[0]"):
            yield field, value


def _with(body, path: str, value):
    """`body` with the dotted/indexed `path` set to `value` (creating what is missing)."""
    body = json.loads(json.dumps(body))
    parts = path.replace("[0]", ".[0]").split(".")
    current = body
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "[0]":
            continue
        following = parts[index + 1] if not last else None
        if last:
            current[part] = value
        elif following == "[0]":
            if index + 1 == len(parts) - 1:
                current[part] = [value]
                break
            current.setdefault(part, [{}])
            current = current[part][0]
        else:
            current = current.setdefault(part, {})
    return body


def _limit_cases():
    document = _document()
    for template, item in document["paths"].items():
        for method, operation in item.items():
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            path = (template.replace("{id}", "no-such-complaint").replace("{attachmentId}", "no-such-file")
                    .replace("{source}", WEBHOOK_SOURCE).replace("{number}", "INC-0000-0000")
                    .replace("{step}", "propose"))
            public = operation.get("security") == []
            if schema is not None:
                for field, value in _violations(document, schema, ""):
                    base = _valid_around(document, schema, field)
                    yield pytest.param(method, path, public, "body", _with(base, field, value), field,
                                       id=f"{operation['operationId']}:{field}")
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                for field, value in _violations(document, parameter.get("schema"), parameter["name"]):
                    yield pytest.param(method, path, public, "query", {parameter["name"]: value},
                                       field, id=f"{operation['operationId']}?{field}")


@pytest.mark.parametrize("method,path,public,where,payload,field", list(_limit_cases()))
def test_every_limit_of_the_document_is_refused_with_422_naming_the_field(method, path, public, where, payload, field):
    headers = {} if public else {"Authorization": f"Bearer {TOKENS['supervisor']}"}
    if where == "body" and path.startswith("/intake/webhook/"):
        response = signed_webhook(payload)
    elif where == "body":
        response = requests.request(method, f"{BASE}{path}", json=payload, headers=headers, timeout=30)
    else:
        if isinstance(next(iter(payload.values())), list):
            payload = {key: value for key, value in payload.items()}
        response = requests.request(method, f"{BASE}{path}", params=payload, headers=headers, timeout=30)
    problem = expect(response, 422, "validation.failed")
    assert field in [error["field"] for error in problem["errors"]], problem


def signed_webhook(payload, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> requests.Response:
    """POSTs `payload` to the demo source, signed as the document describes: HMAC-SHA256 of `timestamp.body`."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return requests.post(f"{BASE}/intake/webhook/{WEBHOOK_SOURCE}", data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Closeloop-Timestamp": stamp,
        "X-Closeloop-Signature": f"sha256={signature}"})


def test_a_signed_webhook_message_becomes_a_complaint_once():
    message = {"messageId": f"contract-{uuid.uuid4()}", "customer": {"name": "郑女士", "phone": "13600001111"},
               "text": "小程序下单后一直显示待发货，已经五天了。"}
    first = signed_webhook(message)
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert receipt["status"] == "created" and not receipt["duplicate"], receipt
    again = signed_webhook(message)
    assert again.status_code == 200 and again.json() == {**receipt, "duplicate": True}, again.text


def test_an_unsigned_or_stale_webhook_is_401_before_the_body_is_read():
    expect(signed_webhook({"junk": True}, secret="not-the-secret-at-all"), 401, "webhook.bad_signature")
    old = int(time.time()) - 3600
    expect(signed_webhook({"messageId": "x", "customer": {"name": "x"}, "text": "x"}, timestamp=old), 401,
           "webhook.stale")


def test_invalid_utf8_is_400():
    body = json.dumps(VALID_INTAKE, ensure_ascii=False).encode().replace("格式测试".encode(), b"\xff\xfe\xfd", 1)
    expect(post_raw(body), 400)


def test_two_megabyte_body_is_413():
    body = json.dumps({**VALID_INTAKE, "description": "a" * (2 * 1024 * 1024)}).encode()
    expect(post_raw(body), 413)


def test_two_megabyte_chunked_body_is_413():
    """Without a Content-Length the limit must hold too (the body arrives in chunks)."""
    body = json.dumps({**VALID_INTAKE, "description": "a" * (2 * 1024 * 1024)}).encode()
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    response = requests.post(
        BASE + "/complaints", data=chunks, timeout=TIMEOUT,
        headers={"Authorization": f"Bearer {TOKENS['agent']}", "Content-Type": "application/json"},
    )
    assert "Content-Length" not in response.request.headers
    expect(response, 413)


def test_missing_fields_are_400_listing_every_field():
    # A body without the document's required fields does not match the schema: 400, every absent field named.
    problem = expect(post_raw(b'{"customer": {}}'), 400)
    assert problem["code"] == "request.missing_fields", problem
    fields = {error["field"] for error in problem.get("errors", [])}
    assert fields == {"channel", "customer.name", "subject", "description"}, problem


def test_invalid_fields_are_422_listing_every_field():
    body = {**VALID_INTAKE, "customer": {"name": ""}, "subject": "", "description": " "}
    problem = expect(post_raw(json.dumps(body).encode()), 422)
    fields = {error["field"] for error in problem.get("errors", [])}
    assert {"customer.name", "subject", "description", "customer.phone"} <= fields, problem


def test_missing_action_fields_are_400_listing_every_field():
    c = new_complaint()
    problem = expect(call("POST", f"/complaints/{c['id']}/write-case", "supervisor", json_body={}), 400)
    assert problem["code"] == "request.missing_fields", problem
    fields = {error["field"] for error in problem.get("errors", [])}
    assert fields == {"version", "cause", "handling", "lesson"}, problem


def test_accept_language_en_gives_english_detail():
    stale = call("POST", "/complaints/no-such-complaint/add-note", "agent", json_body={"version": 1, "text": "x"},
                 headers={"Accept-Language": "en"})
    english = expect(stale, 404)
    default = expect(call("POST", "/complaints/no-such-complaint/add-note", "agent",
                          json_body={"version": 1, "text": "x"}), 404)
    assert english["detail"].isascii() and english["detail"], english
    assert not default["detail"].isascii(), default  # Chinese unless asked otherwise
    tracked = customer_tracked_in_english()
    assert tracked["stateText"].isascii(), tracked


def customer_tracked_in_english() -> dict:
    c = new_complaint()
    response = call("POST", "/track", None, json_body={"number": c["number"], "phone": c["customer"]["phone"]},
                    headers={"Accept-Language": "en-GB,en;q=0.9"})
    return expect(response, 200)


@pytest.mark.parametrize("path", ["/complaints", "/me", "/departments"])
def test_no_token_is_401(path):
    expect(call("GET", path, None), 401)


# --- Incidents and merged duplicates (issue 14) --------------------------------------------------------------------


def test_an_incident_is_handled_once_and_each_customer_answers():
    members = [new_complaint(subject="契约测试：同批热水器漏水") for _ in range(2)]
    opened = expect(call("POST", "/incidents", "supervisor", json_body={
        "title": "契约测试：热水器批次漏水", "cause": "密封圈批次缺陷", "category": "quality",
        "department": "after_sales", "owner": "zhangwei", "handler": "wangfang",
        "complaints": [m["number"] for m in members]}), 201)
    incident = opened["incident"]
    assert incident["severity"] == "major" and incident["state"] == "open"
    assert [o["number"] for o in opened["outcomes"]] == [m["number"] for m in members]
    assert all(fetch(m)["incident"] == incident["number"] for m in members)

    accepted = expect(call("POST", f"/incidents/{incident['number']}/steps/accept", "supervisor",
                           json_body={"version": incident["version"]}), 200)
    assert {o["state"] for o in accepted["outcomes"]} == {"investigating"}
    proposed = expect(call("POST", f"/incidents/{incident['number']}/steps/propose", "handler", json_body={
        "version": accepted["incident"]["version"],
        "analysis": {"problemType": "批次质量", "rootCause": "supplier", "findings": "密封圈批次缺陷"},
        "solution": {"types": ["apology", "repair"], "message": "{customer}您好，{number} 将免费上门更换密封圈。"}}), 200)
    assert {o["state"] for o in proposed["outcomes"]} == {"proposed"}
    first = fetch(members[0])
    assert first["proposal"]["description"] == f"契约测试客户您好，{members[0]['number']} 将免费上门更换密封圈。"

    detail = expect(call("GET", f"/incidents/{incident['number']}", "agent"), 200)
    assert [c["number"] for c in detail["complaints"]] == [m["number"] for m in members]
    listed = expect(call("GET", "/incidents", "agent"), 200)
    assert any(s["incident"]["number"] == incident["number"] and s["openComplaints"] == 2 for s in listed["incidents"])

    stale = call("POST", f"/incidents/{incident['number']}/close", "supervisor", json_body={"version": 1})
    expect(stale, 409, "incident.version_conflict")
    closed = expect(call("POST", f"/incidents/{incident['number']}/close", "supervisor",
                         json_body={"version": proposed["incident"]["version"], "note": "契约测试"}), 200)
    assert closed["state"] == "closed"
    assert all(fetch(m)["state"] == "proposed" for m in members)


def test_an_agent_may_not_open_an_incident_and_an_unknown_one_is_404():
    expect(call("POST", "/incidents", "agent", json_body={"title": "x"}), 403, "auth.forbidden")
    expect(call("GET", "/incidents/INC-1999-0001", "agent"), 404, "incident.not_found")
    expect(call("POST", "/incidents/INC-1999-0001/steps/accept", "supervisor", json_body={"version": 1}), 404,
           "incident.not_found")


def test_bursts_list_each_with_its_proposed_incident():
    body = expect(call("GET", "/bursts", "agent"), 200)
    for burst in body["bursts"]:
        assert burst["proposal"]["title"] and burst["complaints"]


def test_a_duplicate_merges_into_the_same_customers_complaint():
    phone = f"137{uuid.uuid4().int % 10**8:08d}"
    survivor = new_complaint(phone=phone)
    duplicate = new_complaint(phone=phone)
    merged = act(duplicate, "merge", "agent", into=survivor["number"], reason="同一热水器同一故障")
    assert merged["state"] == "closed" and merged["resolution"] == "merged"
    assert merged["mergedInto"] == survivor["number"] and merged["repeatOf"] == survivor["number"]
    kept = fetch(survivor)
    assert kept["mergedDuplicates"] == [duplicate["number"]] and kept["severity"] == "major"
    other = new_complaint()
    refused = call("POST", f"/complaints/{other['id']}/merge", "agent",
                   json_body={"version": other["version"], "into": survivor["number"], "reason": "x"})
    problem = expect(refused, 422, "validation.failed")
    assert [e["field"] for e in problem["errors"]] == ["into"]


def test_intake_answers_with_the_alike_complaints_when_asked():
    marker = uuid.uuid4().hex[:6]
    earlier = new_complaint(subject=f"契约测试：烤箱温控失灵 {marker}", description=f"烤箱温度一直升高，温控失灵 {marker}")
    body = {"channel": "phone", "customer": {"name": "契约测试客户", "phone": "13900001234"},
            "subject": f"契约测试：烤箱温控坏了 {marker}", "description": f"烤箱温控失灵，温度一直升高 {marker}",
            "remedies": ["repair"]}
    asked = expect(call("POST", "/complaints?includeSimilar=true", "agent", json_body=body), 201)
    assert asked["similar"][0]["number"] == earlier["number"], asked["similar"]
    assert "similar" not in expect(call("POST", "/complaints", "agent", json_body=body), 201)
