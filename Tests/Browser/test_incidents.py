"""Many complaints, one cause (issue 14, item 7), through the pages: a burst of alike portal complaints raises an alert,
the supervisor opens the incident the burst proposes, it is handled once, each customer answers the proposal on the
portal, and a customer's duplicate is merged into their first complaint."""

from __future__ import annotations

import time
import uuid

from selenium.webdriver.common.by import By

from support import (
    all_of, click_and_wait, fill, go, one, open_complaint, page_problems, path_of, screenshot, select_text,
    select_value, state_code, unique_phone,
)
from test_loop import portal_state, track


def set_burst_rule(admin, *, count: str, watch: str) -> None:
    go(admin, "/admin/alerts")
    fill(admin, "al-burst-count", count)
    fill(admin, "al-burst-window", "120")
    fill(admin, "al-burst-score", "30")
    fill(admin, "al-burst-watch", watch)
    box = one(admin, "#burst-rule input[name=burstEnabled]")
    if not box.is_selected():
        box.click()
    click_and_wait(admin, one(admin, "form[action='/admin/alerts'] button[type=submit]"))
    assert one(admin, "#al-burst-count").get_attribute("value") == count, page_problems(admin)


def submit_on_portal(customer, name: str, phone: str, subject: str, description: str) -> str:
    go(customer, "/portal/submit")
    fill(customer, "name", name)
    fill(customer, "phone", phone)
    fill(customer, "subject", subject)
    fill(customer, "description", description)
    click_and_wait(customer, one(customer, "main form[action='/portal/submit'] button[type=submit]"))
    assert path_of(customer) == "/portal/complaint", page_problems(customer)
    return one(customer, "[data-number]").text.strip()


def tell_by_mail(admin, owner: str, address: str) -> None:
    go(admin, "/admin/notifications")
    if address in one(admin, "main").text:
        return
    select_value(admin, "notify-owner", owner)
    select_value(admin, "notify-channel", "email")
    fill(admin, "notify-address", address)
    click_and_wait(admin, one(admin, "form[action='/admin/notifications'] button[type=submit]"))
    assert address in one(admin, "main").text, page_problems(admin)


def test_a_burst_becomes_an_incident_handled_once_and_a_duplicate_is_merged(browsers):
    admin = browsers.staff("admin")
    tell_by_mail(admin, "user:liqiang", "liqiang@example.com")
    set_burst_rule(admin, count="3", watch="5")
    try:
        marker = "燃气灶" + uuid.uuid4().hex[:4]
        customer = browsers.customer()
        people = [("冯女士", unique_phone()), ("蒋先生", unique_phone()), ("沈女士", unique_phone())]
        numbers = []
        for name, phone in people:
            numbers.append(submit_on_portal(
                customer, name, phone, f"{marker} 点火后熄火",
                f"新买的{marker}点火以后几秒钟就自动熄火，打了很多次都一样，担心漏气，请尽快派人检查。"))

        # --- The watcher finds the burst; the supervisor sees it proposed on the incidents page. ---
        supervisor = browsers.staff("liqiang")
        deadline = time.time() + 60
        while True:
            go(supervisor, "/incidents")
            rows = [row for row in all_of(supervisor, "#bursts tr[data-burst]") if marker in row.text]
            if rows or time.time() > deadline:
                break
            time.sleep(2)
        assert rows, "no burst proposed within a minute"
        screenshot(supervisor, "incidents-burst-proposed")
        go(admin, "/admin/outbox")
        assert f"【疑似群诉】120 分钟内 3 件相似投诉：{marker}" in one(admin, "main").text, "no burst alert in the outbox"

        click_and_wait(supervisor, one(rows[0], "a.button"))
        assert path_of(supervisor) == "/incidents/new"
        assert marker in one(supervisor, "#incident-title").get_attribute("value")
        proposed = one(supervisor, "#incident-complaints").get_attribute("value").split()
        assert sorted(proposed) == sorted(numbers), proposed
        fill(supervisor, "incident-cause", "同批次熄火保护装置装配不良")
        select_value(supervisor, "incident-category", "quality")
        select_value(supervisor, "incident-department", "after_sales")
        select_text(supervisor, "incident-owner", "(zhangwei)")
        select_text(supervisor, "incident-handler", "(wangfang)")
        click_and_wait(supervisor, one(supervisor, "form[action='/incidents'] button[type=submit]"))
        assert path_of(supervisor).startswith("/incidents/INC-"), page_problems(supervisor)
        incident = path_of(supervisor).rsplit("/", 1)[-1]
        assert "已上报管理层" in one(supervisor, ".alert.success").text

        # --- Accepted and assigned once, for all three. ---
        click_and_wait(supervisor, one(supervisor, "form[action$='/accept'] button[type=submit]"))
        outcomes = all_of(supervisor, "#outcomes tbody tr")
        assert len(outcomes) == 3 and all("调查处理中" in row.text for row in outcomes), [r.text for r in outcomes]

        # --- The handler writes the analysis and the one solution, each customer's own words. ---
        handler = browsers.staff("wangfang")
        go(handler, f"/incidents/{incident}")
        fill(handler, "propose-problemType", "熄火保护故障")
        select_value(handler, "propose-rootCause", "supplier")
        fill(handler, "propose-findings", "熄火保护热电偶批次装配不良")
        for box in all_of(handler, "#step-propose input[name=types]"):
            if box.get_attribute("value") in ("apology", "replacement"):
                box.click()
        fill(handler, "propose-message", "{customer}您好，您的投诉 {number}：我们将免费上门更换熄火保护装置，并向您致歉。")
        click_and_wait(handler, one(handler, "form[action$='/propose'] button[type=submit]"))
        outcomes = all_of(handler, "#outcomes tbody tr")
        assert len(outcomes) == 3 and all("方案待客户确认" in row.text for row in outcomes), (
            [r.text for r in outcomes])
        screenshot(handler, "incident-handled-once")

        # --- Each customer reads their own proposal on the portal and agrees. ---
        for (name, phone), number in zip(people, numbers):
            track(customer, number, phone)
            proposal = one(customer, "section[aria-labelledby=proposal-heading]").text
            assert f"{name}您好，您的投诉 {number}" in proposal, proposal
            one(customer, "#decision-accept").click()
            click_and_wait(customer, one(customer, "form[action='/portal/complaint/respond'] button[type=submit]"))
            assert portal_state(customer) == "正在按方案处理", page_problems(customer)

        go(supervisor, f"/incidents/{incident}")
        states = [row.text for row in all_of(supervisor, "#complaints tbody tr")]
        assert len(states) == 3 and all("方案执行中" in row for row in states), states

        # --- The first customer complains again about the same stove: merged into their first complaint. ---
        name, phone = people[0]
        duplicate = submit_on_portal(
            customer, name, phone, f"{marker} 还是熄火", f"{marker}还是一点火就熄火，上次的投诉还没处理完，再投诉一次。")
        agent = browsers.staff("zhangwei")
        open_complaint(agent, numbers[0])
        row = one(agent, f"#similar li[data-similar='{duplicate}']")
        assert "同一客户" in row.text, row.text
        click_and_wait(agent, one(row, "form[data-merge-from] button[type=submit]"))
        assert "done=merge" in agent.current_url, page_problems(agent)
        merged = one(agent, "#merged").text
        assert duplicate in merged and "上次的投诉还没处理完" in merged, merged
        open_complaint(agent, duplicate)
        assert state_code(agent) == "closed"
        assert numbers[0] in one(agent, ".complaint-head").text
        screenshot(agent, "duplicate-merged")
    finally:
        set_burst_rule(admin, count="10", watch="60")
