"""The workspace measured as people use it (issue 15 item 9): each core task is done the way its user would, from the
keyboard where a shortcut exists, and the keystrokes and clicks it took are counted and kept in
artifacts/ux-tasks.json (README's "Daily work in keystrokes and clicks" gives them beside the figures before)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from support import (
    EN, ZH, expect_new_page, go, one, page_problems, path_of, query_of, state_code, status, unique_phone, wait,
    wait_for_new_page,
)

RESULTS: dict[str, dict[str, int]] = {}


class Effort:
    """Does what a person does, counting it: a key is a keystroke, typed text one per character, a click one, and
    picking an option from a list two (open it, choose)."""

    def __init__(self, driver):
        self.driver = driver
        self.keys = 0
        self.clicks = 0

    def press(self, *keys: str) -> None:
        ActionChains(self.driver).send_keys(*keys).perform()
        self.keys += len(keys)

    def chord(self, modifier: str, key: str) -> None:
        ActionChains(self.driver).key_down(modifier).send_keys(key).key_up(modifier).perform()
        self.keys += 1

    def type(self, text: str) -> None:
        ActionChains(self.driver).send_keys(text).perform()
        self.keys += len(text)

    def click(self, element) -> None:
        element.click()
        self.clicks += 1

    def pick(self, element_id: str, value: str) -> None:
        Select(self.driver.find_element("id", element_id)).select_by_value(value)
        self.clicks += 2

    def open_by_number(self, number: str) -> None:
        """The header search with a whole number: `/`, the number, Enter, and the complaint is open."""
        self.press("/")
        self.type(number)
        self.press(Keys.ENTER)
        arrive(self.driver, f"/complaints/{number}")

    def expect_new_page(self) -> None:
        """Marks the page shown, so `settle` waits for the one the next key or click loads (the old one is already
        complete: waiting for readyState alone would race the navigation)."""
        expect_new_page(self.driver)

    def settle(self) -> None:
        wait_for_new_page(self.driver, "the task's last step")

    def record(self, task: str) -> None:
        RESULTS[task] = {"keystrokes": self.keys, "clicks": self.clicks}
        folder = Path(os.environ.get("CLOSELOOP_BROWSER_ARTIFACTS", "artifacts"))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ux-tasks.json").write_text(json.dumps(RESULTS, ensure_ascii=False, indent=2) + "\n")


def arrive(driver, path: str) -> None:
    wait(driver).until(lambda d: path_of(d) == path)
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_find_a_complaint_by_the_callers_phone(browsers, api):
    phone = unique_phone()
    earlier = api.new_complaint(phone=phone, subject="工作台：第一次来电")["number"]
    latest = api.new_complaint(phone=phone, subject="工作台：第二次来电")["number"]
    agent = browsers.staff("zhangwei")
    effort = Effort(agent)
    # The caller reads their number out as people do: with the country code and spaces.
    effort.press("/")
    assert agent.switch_to.active_element.get_attribute("id") == "global-search"
    spoken = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    effort.type(spoken)
    effort.press(Keys.ENTER)
    arrive(agent, "/search")
    history = one(agent, "#customers-heading").find_element("xpath", "..").text
    assert earlier in history and latest in history and "共 2 件投诉" in history, history
    # The newest is first; j chooses it and Enter opens it.
    effort.press("j")
    effort.press(Keys.ENTER)
    arrive(agent, f"/complaints/{latest}")
    effort.record("find a complaint by the caller's phone")
    # "/", the number as spoken, Enter, j, Enter: nothing else, and no mouse.
    assert effort.clicks == 0 and effort.keys == 1 + len(spoken) + 3


def test_a_whole_number_opens_the_complaint(browsers, api):
    number = api.new_complaint(subject="工作台：按单号查找")["number"]
    agent = browsers.staff("zhangwei")
    effort = Effort(agent)
    effort.open_by_number(number)
    effort.record("open a complaint by its number")


def test_the_first_complaint_is_three_tab_presses_away(browsers, api):
    api.new_complaint(subject="工作台：键盘到达列表")
    agent = browsers.staff("zhangwei")
    go(agent, "/queue?view=unassigned")
    effort = Effort(agent)
    effort.press(Keys.TAB)
    assert "跳到投诉列表" in agent.switch_to.active_element.text
    effort.press(Keys.ENTER)
    effort.press(Keys.TAB)
    focused = agent.switch_to.active_element
    assert (focused.get_attribute("href") or "").split("/complaints/")[-1].isdigit(), focused.get_attribute("outerHTML")
    effort.record("reach the first complaint of a queue with Tab")
    # Focus is visible: the focused link draws an outline.
    assert focused.value_of_css_property("outline-style") not in ("none", ""), "no visible focus"


def test_assign_a_validated_complaint(browsers, api):
    complaint = api.new_complaint(subject="工作台：分派")
    complaint = api.act(complaint, "check-completeness", "zhangwei", complete=True)
    complaint = api.act(complaint, "decide-validity", "zhangwei", valid=True)
    number = complaint["number"]
    supervisor = browsers.staff("liqiang")
    effort = Effort(supervisor)
    effort.open_by_number(number)
    form = one(supervisor, "#action-assign")
    assert form.get_attribute("open") is not None, "assigning is what this complaint waits for: its form is open"
    effort.pick("f-assign-category", "after_sales")
    effort.pick("f-assign-department", "after_sales")
    effort.click(one(supervisor, "#action-assign input[name=ownerSelf]"))
    effort.pick("f-assign-handler", "wangfang")
    effort.expect_new_page()
    effort.click(one(supervisor, "#action-assign button[type=submit]"))
    effort.settle()
    assert "done=assign" in query_of(supervisor), page_problems(supervisor)
    assert state_code(supervisor) == "investigating"
    # The page stays at its top, with the confirmation in view.
    assert supervisor.execute_script("return window.scrollY") == 0
    assert one(supervisor, ".alert.success").is_displayed()
    effort.record("assign a complaint")


def test_approve_a_compensation(browsers, api):
    complaint = api.investigating(subject="工作台：审批补偿")
    complaint = api.act(complaint, "submit-analysis", "wangfang", problemType="产品质量", rootCause="hardware_fault",
                        findings="主板故障")
    complaint = api.act(complaint, "propose-solution", "wangfang", types=["repair", "compensation"],
                        description="上门维修并补偿 800 元", compensation="800")
    number = complaint["number"]
    assert complaint["state"] == "awaiting_approval"
    manager = browsers.staff("zhaolei")
    go(manager, "/queue?view=approvals")
    effort = Effort(manager)
    rows = manager.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tr[data-row]')).map(r => r.textContent)")
    ours = [row for row in rows if number in row]
    assert ours and "¥800.00" in ours[0], rows
    # j until the chosen row is ours (a live refresh of the rows meanwhile starts the choice again from the top).
    for _ in range(len(rows) + 5):
        effort.press("j")
        chosen = manager.execute_script("const r = document.querySelector('tr[data-row].current'); return r && r.textContent")
        if chosen and number in chosen:
            break
    assert chosen and number in chosen, chosen
    effort.press(Keys.ENTER)
    arrive(manager, f"/complaints/{number}")
    assert one(manager, "#action-decide_approval").get_attribute("open") is not None
    effort.click(one(manager, "#f-decide_approval-approved-0"))
    effort.click(one(manager, "#f-decide_approval-comment"))
    effort.type("同意")
    effort.expect_new_page()
    effort.chord(Keys.CONTROL, Keys.ENTER)
    effort.settle()
    assert "done=decide_approval" in query_of(manager), page_problems(manager)
    assert state_code(manager) == "proposed"
    effort.record("approve a compensation")


def test_record_a_contact(browsers, api):
    complaint = api.new_complaint(subject="工作台：联系客户")
    number = complaint["number"]
    agent = browsers.staff("zhangwei")
    effort = Effort(agent)
    effort.open_by_number(number)
    effort.click(one(agent, "#action-record_contact summary"))
    effort.pick("f-record_contact-outcome", "reached")
    effort.click(one(agent, "#f-record_contact-note"))
    effort.type("已致电客户")
    effort.expect_new_page()
    effort.chord(Keys.CONTROL, Keys.ENTER)
    effort.settle()
    assert "done=record_contact" in query_of(agent), page_problems(agent)
    assert status(agent) == 200
    effort.record("record a customer contact")


def test_no_queue_column_is_cut_from_1024_px_in_either_language(browsers):
    manager = browsers.staff("zhaolei")
    size = manager.get_window_size()
    manager.set_window_size(1024, 900)
    try:
        for lang in (ZH, EN):
            manager_in = browsers.staff("zhaolei", lang)
            for view in ("mine", "department", "approvals", "due", "unassigned", "all"):
                go(manager_in, f"/queue?view={view}")
                widths = manager_in.execute_script(
                    "const t = document.querySelector('#queue-rows table'), box = document.getElementById('queue-rows');"
                    "return t ? [t.scrollWidth, box.clientWidth, document.documentElement.scrollWidth,"
                    " document.documentElement.clientWidth] : null;")
                if widths is None:
                    continue
                table, box, page, viewport = widths
                assert table <= box and page <= viewport, f"{lang} {view}: table {table} in {box}, page {page} in {viewport}"
    finally:
        browsers.staff("zhaolei")
        manager.set_window_size(size["width"], size["height"])
