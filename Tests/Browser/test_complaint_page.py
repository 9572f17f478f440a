"""The staff complaint page: the customer's contact details are masked until someone who needs them asks."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from datetime import datetime, timedelta

from support import (
    all_of, choose, choose_option, click_and_wait, csrf_token, fill, go, one, open_complaint, page_problems,
    path_of, post_form, select_value, status, submit_action, texts, unique_phone, wait,
)


def contact(driver) -> str:
    return one(driver, "section[aria-labelledby=customer-heading] dl.facts").text


def test_contact_details_masked_until_revealed(browsers, api):
    phone = unique_phone()
    masked = f"{phone[:3]}****{phone[-4:]}"
    complaint = api.investigating(phone=phone, subject="联系方式脱敏检查")
    number = complaint["number"]

    owner = browsers.staff("zhangwei")  # the owner talks to the customer: may see the number on request
    open_complaint(owner, number)
    assert masked in contact(owner) and phone not in contact(owner), contact(owner)
    [reveal] = all_of(owner, f"form[action='/complaints/{number}/reveal'] button")
    assert reveal.text.strip() == "显示完整联系方式"
    click_and_wait(owner, reveal)
    assert status(owner) == 200
    assert phone in contact(owner), contact(owner)
    assert not all_of(owner, f"form[action='/complaints/{number}/reveal']"), "the button is still offered"
    open_complaint(owner, number)
    assert masked in contact(owner) and phone not in contact(owner), "the number stays visible after leaving"

    # The handler does not need it: no button, a hint, and posting the reveal form anyway shows nothing more.
    handler = browsers.staff("wangfang")
    open_complaint(handler, number)
    assert masked in contact(handler)
    assert not all_of(handler, f"form[action='/complaints/{number}/reveal']")
    hint = one(handler, "section[aria-labelledby=customer-heading] .hint").text
    assert "脱敏" in hint, hint
    answer = post_form(handler, f"/complaints/{number}/reveal", {"_csrf": csrf_token(handler)})
    assert phone not in answer.get("body", ""), "a handler got the full number by posting the reveal form"


def test_file_sizes_in_the_users_language(browsers, png):
    """Attachment sizes read in the page's language: "314 字节" (or KB/MB) on a Chinese page, not "314 bytes"."""
    agent = browsers.staff("zhangwei")
    go(agent, "/intake")
    fill(agent, "customer-name", "冯先生")
    fill(agent, "customer-phone", unique_phone())
    fill(agent, "subject", "附件大小显示检查")
    fill(agent, "description", "客户发来一张照片。")
    agent.find_element(By.ID, "files").send_keys(str(png))
    # The chosen picture is previewed before it is sent.
    wait(agent).until(lambda d: d.execute_script(
        "var i = document.querySelector('#files-preview img'); return !!i && i.naturalWidth > 0"))
    click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    if all_of(agent, "fieldset.repeat-check"):
        click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    assert path_of(agent).startswith("/intake/saved/"), page_problems(agent)
    click_and_wait(agent, one(agent, "#intake-saved a[data-saved-number]"))
    # On the complaint page the picture is a thumbnail, loaded from the download's address.
    thumb = one(agent, "section[aria-labelledby=intake-heading] ul.files li img.thumb")
    assert agent.execute_script("return arguments[0].naturalWidth", thumb) > 0
    sizes = texts(agent, "section[aria-labelledby=intake-heading] ul.files li .small")
    assert sizes, "no file size shown"
    english = [s for s in sizes if re.search(r"[A-Za-z]{3,}", s)]
    assert not english, f"file sizes in English on a Chinese page: {english}"


def in_view(driver, element) -> bool:
    """Whether the element is inside the window as the page stands (not scrolled away)."""
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
        element)


def action_forms(driver) -> list[tuple[str, bool]]:
    return [(d.get_attribute("id").removeprefix("action-"), d.get_attribute("open") is not None)
            for d in all_of(driver, "details.action")]


def test_next_step_after_the_customer_rejects(browsers, api):
    """The banner says the customer rejected the proposal, in their words, and asks for another; the proposal form is
    first and open, the rejected proposal is set aside; after proposing again the page stays at its top."""
    c = api.investigating(subject="方案被拒后的下一步")
    c = api.act(c, "submit-analysis", "wangfang", problemType="产品质量", rootCause="hardware_fault",
                findings="电机驱动板故障", suggestedSolution="更换驱动板")
    c = api.act(c, "propose-solution", "wangfang", types=["repair"], description="上门更换驱动板")
    c = api.act(c, "respond-to-proposal", "zhangwei", accepted=False, comment="修过两次了，要求换新")
    assert c["state"] == "investigating", c["state"]
    number = c["number"]

    handler = browsers.staff("wangfang")
    open_complaint(handler, number)
    banner = one(handler, "#next-step")
    assert in_view(handler, banner), "the banner is not at the top of the page"
    assert "客户拒绝了方案：“修过两次了，要求换新”，请重新提出方案" in banner.text, banner.text
    assert "下一步：提出处理方案" in banner.text and "解决时限：" in banner.text, banner.text
    forms = action_forms(handler)
    assert forms[0] == ("propose_solution", True), forms
    assert [name for name, opened in forms if opened] == ["propose_solution"], forms
    side = one(handler, "section[aria-labelledby=handling-heading]")
    assert "上一方案" in side.text and "客户已拒绝" in side.text, side.text

    choose_option(handler, "propose_solution", "types", "replacement")
    fill(handler, "f-propose_solution-description", "为客户更换新机")
    submit_action(handler, number, "propose_solution")
    assert "#" not in handler.current_url, handler.current_url
    assert handler.execute_script("return window.scrollY") == 0
    assert in_view(handler, one(handler, ".alert.success")), "the confirmation is out of view"
    assert "方案待客户确认" in one(handler, "#next-step").text


def test_assign_in_one_glance(browsers, api):
    """Classification on one row; owner and handler follow the department; assign to me; a due date within the
    resolution deadline, refused beside the field when later."""
    c = api.new_complaint(subject="一眼分派")
    c = api.act(c, "check-completeness", "zhangwei", complete=True)
    c = api.act(c, "decide-validity", "zhangwei", valid=True)
    number = c["number"]

    supervisor = browsers.staff("liqiang")
    open_complaint(supervisor, number)
    assert action_forms(supervisor)[0] == ("assign", True), action_forms(supervisor)
    tops = [one(supervisor, f"#f-assign-{name}").rect["y"] for name in ("category", "priority", "severity", "department")]
    assert max(tops) - min(tops) < 2, f"the classification is not on one row: {tops}"

    select_value(supervisor, "f-assign-department", "logistics")
    offered = lambda field: [o.get_attribute("value") for o in all_of(supervisor, f"#f-assign-{field} option")
                             if o.get_attribute("value") and o.is_enabled()]
    wait(supervisor).until(lambda _: "wangfang" not in offered("handler"))
    assert "huangmin" in offered("handler"), offered("handler")
    assert "zhangwei" in offered("owner"), "company-wide agents stay on offer"
    select_value(supervisor, "f-assign-department", "after_sales")
    assert "wangfang" in offered("handler") and "huangmin" not in offered("handler")

    select_value(supervisor, "f-assign-category", "after_sales")
    select_value(supervisor, "f-assign-handler", "wangfang")
    choose(supervisor, "f-assign-ownerSelf")
    assert not one(supervisor, "#f-assign-owner").is_enabled(), "the owner picker should stand aside"
    hint = one(supervisor, "#action-assign .field:has(#f-assign-handlerDue) .hint").text
    deadline = datetime.strptime(hint.split("为 ")[1].rstrip("）"), "%Y-%m-%d %H:%M")
    set_due = "arguments[0].value = arguments[1];"
    supervisor.execute_script(set_due, one(supervisor, "#f-assign-handlerDue"),
                              (deadline + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    click_and_wait(supervisor, one(supervisor, "#action-assign button[type=submit]"))
    assert status(supervisor) == 422, page_problems(supervisor)
    error = one(supervisor, "#action-assign .field.has-error .field-error").text
    assert "不能晚于解决时限" in error, error

    due = deadline - timedelta(days=1)
    supervisor.execute_script(set_due, one(supervisor, "#f-assign-handlerDue"), due.strftime("%Y-%m-%dT%H:%M"))
    choose(supervisor, "f-assign-ownerSelf")
    submit_action(supervisor, number, "assign")
    handling = one(supervisor, "section[aria-labelledby=handling-heading]").text
    assert "第一责任人\n李强" in handling, handling
    assert "要求完成时间" in handling and due.strftime("%Y-%m-%d %H:%M") in handling, handling
