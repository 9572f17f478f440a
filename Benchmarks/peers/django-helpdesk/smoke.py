#!/usr/bin/env python3
"""Smoke check of the django-helpdesk peer started by setup.sh: the three operations the
benchmark times, each once, with Chinese text.  Stdlib only (http.client).  Prints every HTTP
request it sends (method, path, headers, body) and the status that came back.

  1. sign-in   GET /login/ (csrftoken cookie + csrfmiddlewaretoken in the form), then
               POST /login/ (form) -> 302, cookies sessionid + a NEW csrftoken (Django
               rotates the CSRF token at login)
  2. intake    POST /api/tickets/ (JSON {queue, title, description, priority}) with the
               session cookie and X-CSRFToken -> 201, the new ticket's id is "id" in the JSON
  3. get       GET /api/tickets/<id>/ -> 200 JSON; also the staff page GET /tickets/<id>/
  4. search    GET /tickets/?q=<term> (the staff ticket list: HTML only, carries the query as
               base64) and GET /datatables_ticket_list/<base64>?draw=1&start=0&length=25&order…
               (the JSON the list page's DataTable fetches: this is where the search runs)
               for a Chinese and an English term
Also: a POST without X-CSRFToken is refused (403), and one GET with HTTP Basic auth is timed
against the same GET with the session cookie (Basic runs Django's password hasher every time).
The round trip of the Chinese title is checked byte for byte.  About 15 requests in all.
Exit status 0 when every check passed.
"""
import base64
import http.client
import json
import os
import re
import sys
import time
import urllib.parse

STATE = os.environ.get("HD_STATE", "/var/lib/helpdesk-bench")
HOST = "127.0.0.1"


def read_state(name):
    with open(os.path.join(STATE, name), encoding="utf-8") as f:
        return f.read().strip()


PORT = int(read_state("port"))
USER = read_state("user")
PASSWORD = read_state("password")
QUEUE_ID = int(read_state("queue-id"))

STAMP = time.strftime("%Y%m%d%H%M%S")
ZH_TERM = "快递延误"
EN_TERM = "refund"
TITLE = f"投诉：{ZH_TERM}一周仍未送达，要求退款（订单号 {STAMP}）"
DESCRIPTION = (
    f"您好，\n\n我于上周下单（订单号 {STAMP}），到现在{ZH_TERM}问题仍未处理。"
    "客服电话一直占线，在线客服也没有回复。请在三个工作日内给出处理结果。\n\n"
    f"Mixed ASCII line: order={STAMP} status=pending, please {EN_TERM} me.\n谢谢！\n"
)

failures = []


def check(ok, what):
    print(("  OK   " if ok else "  FAIL ") + what)
    if not ok:
        failures.append(what)


class Client:
    """One client: a cookie jar (csrftoken, sessionid) and an http.client connection.
    gunicorn's sync workers close the connection after every response, so each request
    opens a new one (as RT's Starlet does here)."""

    def __init__(self):
        self.cookies = {}

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, body=None, headers=None, show=True, show_body=True):
        headers = dict(headers or {})
        if self.cookies and "Authorization" not in headers:
            headers["Cookie"] = self.cookie_header()
        data = body.encode("utf-8") if isinstance(body, str) else body
        if show:
            print(f"\n> {method} {path}")
            for k, v in headers.items():
                if k == "Authorization":
                    v = v.split(" ")[0] + " <base64 of user:password>"
                print(f"> {k}: {v}")
            if data and show_body:
                shown = data.decode("utf-8")
                shown = shown.replace(urllib.parse.quote(PASSWORD), "<password>")
                shown = shown.replace(PASSWORD, "<password>")
                print(f"> (body) {shown}")
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        t0 = time.perf_counter()
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        dt = time.perf_counter() - t0
        conn.close()
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if show:
            sc = [v.split(";", 1)[0] for k, v in resp.getheaders() if k.lower() == "set-cookie"]
            extra = f"  Set-Cookie: {', '.join(c.split('=')[0] + '=…' for c in sc)}" if sc else ""
            loc = resp.getheader("Location")
            extra += f"  Location: {loc}" if loc else ""
            print(f"< {resp.status} {resp.reason}  {resp.getheader('Content-Type')}  "
                  f"{len(payload)} bytes  {dt * 1000:.0f} ms{extra}")
        return resp.status, payload, resp, dt

    def login(self, user, password):
        """Django's login form: GET for the CSRF cookie and form token, then POST the form."""
        st, page, _, _ = self.request("GET", "/login/")
        check(st == 200 and "csrftoken" in self.cookies, "GET /login/ -> 200 and a csrftoken cookie")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        check(m is not None, "login form carries csrfmiddlewaretoken")
        old_csrf = self.cookies.get("csrftoken")
        form = urllib.parse.urlencode({
            "csrfmiddlewaretoken": m.group(1).decode() if m else "",
            "username": user, "password": password, "next": "/tickets/",
        })
        st, _, resp, _ = self.request("POST", "/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        check(st == 302 and "sessionid" in self.cookies,
              f"POST /login/ -> 302 to {resp.getheader('Location')} with a sessionid cookie")
        check(self.cookies.get("csrftoken") != old_csrf,
              "login rotated csrftoken: use the NEW cookie value as X-CSRFToken")


def api_headers(client, write=False):
    h = {"Accept": "application/json"}
    if write:
        h["Content-Type"] = "application/json; charset=utf-8"
        h["X-CSRFToken"] = client.cookies["csrftoken"]
    return h


def b64_query(search_string):
    """What GET /tickets/?q=<term> puts in its page (views/staff.py ticket_list + query_to_base64)."""
    params = {"filtering": {}, "filtering_null": {}, "sorting": "created",
              "sortreverse": None, "search_string": search_string}
    return base64.b64encode(json.dumps(params).encode("UTF-8")).decode("ascii")


def main():
    print(f"django-helpdesk peer at http://{HOST}:{PORT}/  user {USER}, queue id {QUEUE_ID}")
    c = Client()

    print("\n=== 1. sign-in (once per client)")
    c.login(USER, PASSWORD)

    print("\n=== 2. intake: POST /api/tickets/")
    body = json.dumps({"queue": QUEUE_ID, "title": TITLE, "description": DESCRIPTION, "priority": 3},
                      ensure_ascii=False)
    st, payload, _, _ = c.request("POST", "/api/tickets/", body=body, headers=api_headers(c, write=True))
    created = json.loads(payload) if st == 201 else {}
    tid = created.get("id")
    check(st == 201 and isinstance(tid, int), f"POST /api/tickets/ -> 201, new ticket id {tid}")
    if st != 201:
        print(payload[:500].decode("utf-8", "replace"))
        return finish()
    check(created.get("title") == TITLE, "the 201 body echoes the title unchanged")

    st, payload, _, _ = c.request("POST", "/api/tickets/", body=body, headers=api_headers(c, write=False)
                                  | {"Content-Type": "application/json; charset=utf-8"}, show_body=False)
    check(st == 403 and b"CSRF" in payload,
          f"the same POST without X-CSRFToken -> 403 ({payload[:80].decode('utf-8', 'replace')})")

    print("\n=== 3. get by id")
    st, payload, resp, dt_cookie = c.request("GET", f"/api/tickets/{tid}/", headers=api_headers(c))
    check(st == 200, f"GET /api/tickets/{tid}/ -> 200")
    title_bytes = TITLE.encode("utf-8")
    m = re.search(rb'"title":"((?:[^"\\]|\\.)*)"', payload)
    check(m is not None and m.group(1) == title_bytes,
          "Chinese title round-trips byte for byte (raw UTF-8 in the JSON, no \\u escapes)")
    got = json.loads(payload)
    # DRF's CharField (trim_whitespace) and Django's form field (strip) both strip the ends.
    check(got.get("description") == DESCRIPTION.strip(),
          "description round-trips (inner newlines kept; leading/trailing whitespace stripped by DRF)")
    check(got.get("queue") == QUEUE_ID and got.get("status") == 1,
          f"queue {got.get('queue')}, status {got.get('status')} (1 = Open)")
    st, page, _, _ = c.request("GET", f"/tickets/{tid}/", show_body=False)
    check(st == 200 and title_bytes in page, f"staff page GET /tickets/{tid}/ -> 200 and shows the title")

    print("\n=== 4. search")
    for term in (ZH_TERM, EN_TERM):
        st, page, _, _ = c.request("GET", "/tickets/?" + urllib.parse.urlencode({"q": term}))
        m = re.search(rb'name="query_encoded" value="([^"]+)"', page)
        want = b64_query(term)
        check(st == 200 and m is not None and m.group(1).decode() == want,
              f"GET /tickets/?q=… -> 200, the page's query is base64({base64.b64decode(want).decode()})")
        # The list page's DataTable sends draw/start/length (+ columns[...], ignored by the view) and,
        # once the user sorts by "Created" descending, order[0][column]=5&order[0][dir]=desc; with no
        # order it sorts by created ascending (oldest first).
        path = f"/datatables_ticket_list/{want}?" + urllib.parse.urlencode(
            {"draw": 1, "start": 0, "length": 25, "order[0][column]": 5, "order[0][dir]": "desc",
             "search[value]": "", "search[regex]": "false"})
        st, payload, _, _ = c.request("GET", path, headers={"Accept": "application/json"})
        res = json.loads(payload) if st == 200 else {}
        ids = [row["id"] for row in res.get("data", [])]
        check(st == 200 and tid in ids,
              f"datatables search {term!r} -> 200, recordsFiltered {res.get('recordsFiltered')}, "
              f"{len(ids)} rows on the page, new ticket {tid} among them")
        if st == 200 and res.get("data"):
            row = next(r for r in res["data"] if r["id"] == tid) if tid in ids else res["data"][0]
            print("  first matching row keys:", ", ".join(sorted(row)))

    print("\n=== 5. the API with HTTP Basic auth instead of the session (one request)")
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    st, payload, _, dt_basic = c.request("GET", f"/api/tickets/{tid}/",
                                         headers={"Accept": "application/json", "Authorization": f"Basic {basic}"})
    check(st == 200, f"GET /api/tickets/{tid}/ with Basic auth -> 200: {dt_basic * 1000:.0f} ms vs "
                     f"{dt_cookie * 1000:.0f} ms with the session cookie (PBKDF2, 1,000,000 rounds per request)")
    return finish()


def finish():
    print()
    if failures:
        print(f"SMOKE FAILED: {len(failures)} check(s): " + "; ".join(failures))
        return 1
    print("SMOKE OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
