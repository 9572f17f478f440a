"""Many complaints, one cause (issue 14): the complaint page lists the complaints that read alike with a score, and the
supervisor's classification form comes preselected from the company's own history (the demo server trains its model
from the demo's classified complaints when it starts)."""

from __future__ import annotations

import re
import time
import uuid

import requests

from support import (
    all_of, click_and_wait, fill, go, one, open_complaint, screenshot, select_value, unique_phone, url, wait,
)


def complaint_with_suggestion(api, subject: str, description: str) -> dict:
    """A new complaint recorded once the server's model is trained (it trains as it starts), with its suggestion."""
    deadline = time.time() + 30
    while True:
        complaint = api.new_complaint(subject=subject, description=description)
        response = requests.get(url(f"/api/v1/complaints/{complaint['id']}/suggestion"), timeout=30,
                                headers={"Authorization": f"Bearer {api.token('liqiang')}"})
        if response.status_code == 200 or time.time() > deadline:
            assert response.status_code == 200, f"no suggestion within 30 s: {response.status_code} {response.text}"
            return complaint | {"suggestion": response.json()}
        time.sleep(1)


def test_alike_complaints_are_listed_and_the_classification_is_preselected(browsers, api):
    marker = "gx" + uuid.uuid4().hex[:6]
    first = api.new_complaint(subject=f"快递丢件 {marker}",
                              description=f"快递显示已签收，但我没有收到包裹，快递员电话打不通 {marker}")
    second = complaint_with_suggestion(
        api, f"包裹没收到 {marker}", f"物流显示签收了，包裹却不见了，联系不上快递员 {marker}")
    values = {v["target"]: v for v in second["suggestion"]["values"]}
    assert "category" in values and 0 < values["category"]["confidence"] <= 1, values

    for action, body in [("check-completeness", {"complete": True}), ("decide-validity", {"valid": True})]:
        current = api.call("GET", f"/complaints/{second['id']}", "zhangwei")
        api.call("POST", f"/complaints/{second['id']}/{action}", "zhangwei", body | {"version": current["version"]})

    supervisor = browsers.staff("liqiang")
    open_complaint(supervisor, second["number"])
    section = one(supervisor, "section#similar")
    assert one(section, "h2").text.strip() == "相似投诉"
    rows = [li.text for li in all_of(section, "ol.similar li")]
    assert any(first["number"] in row for row in rows), rows
    assert all(re.search(r"\b\d{1,3}%", row) for row in rows), rows

    hint = one(supervisor, "#action-assign [data-suggestion]").get_attribute("textContent")
    assert hint.startswith("已按历史投诉预选"), hint
    chosen = supervisor.execute_script("return document.querySelector('#action-assign select[name=category]').value;")
    expected = values.get("subcategory", values["category"])["value"]
    assert chosen == expected, f"preselected {chosen!r}, suggested {values}"
    department = supervisor.execute_script(
        "return document.querySelector('#action-assign select[name=department]').value;")
    assert department == values["department"]["value"], (department, values)
    supervisor.execute_script(
        "document.querySelector('#action-assign').open = true; document.querySelector('#similar').scrollIntoView();")
    screenshot(supervisor, "similar-and-suggested")


def test_the_intake_form_shows_alike_complaints_while_the_agent_types(browsers, api):
    marker = "rq" + uuid.uuid4().hex[:6]
    earlier = api.new_complaint(subject=f"电视黑屏 {marker}", description=f"新买的电视开机两分钟就黑屏，有声音没画面 {marker}")
    agent = browsers.staff("zhangwei")
    go(agent, "/intake")
    assert not one(agent, "#intake-similar").is_displayed()
    fill(agent, "subject", f"电视黑屏 {marker}")
    fill(agent, "description", f"电视开机一会儿就黑屏，只有声音没有画面 {marker}")
    wait(agent).until(lambda d: one(d, "#intake-similar").is_displayed())
    listed = one(agent, "#intake-similar").text
    assert earlier["number"] in listed and "%" in listed, listed
    screenshot(agent, "intake-similar")


def test_the_intake_form_shows_the_callers_history_and_the_saved_number(browsers, api):
    """The caller's earlier complaints appear as soon as their phone is typed, in any format; a category can be chosen;
    after saving, the form is back for the next caller with the number in view, linking to the complaint."""
    phone = unique_phone()
    earlier = api.new_complaint(phone=phone, subject="浏览器测试：冰箱不制冷")
    agent = browsers.staff("zhangwei")
    go(agent, "/intake")
    assert not one(agent, "#intake-customer").is_displayed()
    fill(agent, "customer-phone", f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}")
    wait(agent).until(lambda d: one(d, "#intake-customer").is_displayed())
    history = one(agent, "#intake-customer").text
    assert earlier["number"] in history and "冰箱不制冷" in history, history
    screenshot(agent, "intake-customer-history")

    fill(agent, "customer-name", "浏览器测试客户")
    select_value(agent, "category", "quality.defect")
    fill(agent, "subject", "浏览器测试：冰箱又坏了")
    fill(agent, "description", "上次修过的冰箱又不制冷了。")
    click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    if all_of(agent, "fieldset.repeat-check"):
        click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    banner = one(agent, "#intake-saved")
    number = one(agent, "#intake-saved a[data-saved-number]").text.strip()
    assert banner.is_displayed() and banner.text.startswith(f"已登记投诉 {number}"), banner.text
    assert agent.execute_script("return arguments[0].getBoundingClientRect().top", banner) < 400, "the banner is out of view"
    assert one(agent, "#subject").get_attribute("value") == "", "the form is not ready for the next caller"
    listed = api.call("GET", f"/complaints?customerPhone={phone}&view=full", "liqiang")["items"]
    saved = [c for c in listed if c["number"] == number]
    assert saved and saved[0].get("intakeCategory") == "quality.defect", listed
    screenshot(agent, "intake-saved")
