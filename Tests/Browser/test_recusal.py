"""Recusal (回避): the employee a complaint is about sees it, but may not act on it, even by posting the form
directly; and every form post needs its CSRF token."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from support import (
    all_of, click_and_wait, csrf_token, fill, go, one, open_action, open_complaint, page_problems, path_of,
    post_form, screenshot, select_text, select_value, status, submit_action, texts, timeline_text,
)


def record_at_intake(agent, phone: str, about: str, subject: str) -> str:
    """The agent records a phone complaint at /intake naming employee `about`; returns its number."""
    go(agent, "/intake")
    assert status(agent) == 200, page_problems(agent)
    select_value(agent, "channel", "phone")
    fill(agent, "customer-name", "郑女士")
    fill(agent, "customer-phone", phone)
    fill(agent, "reference", "SO-2026-55120")
    fill(agent, "subject", subject)
    fill(agent, "description", "售后人员上门时态度恶劣，还说是我自己弄坏的，要求道歉。")
    fill(agent, "transcript", "客户：你们的人太过分了……")
    for box in all_of(agent, "input[name=remedies]"):
        if box.get_attribute("value") == "apology":
            box.click()
    select_value(agent, "priority", "P1")
    select_text(agent, "about-user", f"({about})")
    select_value(agent, "about-department", "after_sales")
    screenshot(agent, "intake")
    click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    if path_of(agent) == "/intake":
        # The same customer complained recently: the form asks whether this is a repeat ("not a repeat" preset).
        assert status(agent) == 200, page_problems(agent)
        assert one(agent, "fieldset.repeat-check").is_displayed()
        not_repeat = [r for r in all_of(agent, "input[name=repeatOf]") if r.get_attribute("value") == ""]
        assert len(not_repeat) == 1 and not_repeat[0].is_selected()
        assert agent.find_element(By.ID, "subject").get_attribute("value") == subject, "the typed subject was lost"
        screenshot(agent, "intake-repeat-check")
        click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    # The form is back for the next caller; the banner's number opens the complaint.
    assert path_of(agent).startswith("/intake/saved/"), page_problems(agent)
    number = one(agent, "#intake-saved a[data-saved-number]").text.strip()
    assert path_of(agent) == f"/intake/saved/{number}"
    click_and_wait(agent, one(agent, "#intake-saved a[data-saved-number]"))
    assert path_of(agent) == f"/complaints/{number}", page_problems(agent)
    return number


def test_recused_employee_sees_notice_and_may_not_act(browsers, api):
    # The same customer complained last week (by phone): intake offers the repeat check on the way.
    earlier = api.new_complaint(subject="上次的投诉：安装延误")
    phone = earlier["customer"]["phone"]
    assert "*" not in phone, "the agent who filed it should see the phone unmasked"

    agent = browsers.staff("zhangwei")
    subject = "投诉售后人员王芳服务态度"
    number = record_at_intake(agent, phone, "wangfang", subject)
    assert one(agent, ".complaint-head h1").text.endswith(subject)
    facts = one(agent, "section[aria-labelledby=intake-heading]").text
    assert "王芳" in facts, facts
    assert one(agent, "form[action^='/complaints/'][action$='/actions/add_note']")  # the agent may act

    # An internal note the recused employee must not read.
    open_action(agent, "add_note")
    fill(agent, "f-add_note-text", "内部：先向王芳的经理了解情况")
    one(agent, "#f-add_note-internal").click()
    submit_action(agent, number, "add_note")
    version = one(agent, "#action-add_note input[name=version]").get_attribute("value")

    handler = browsers.staff("wangfang")
    open_complaint(handler, number)
    notice = one(handler, ".alert.warn")
    assert notice.is_displayed() and "回避" in notice.text, notice.text
    offered = texts(handler, "details.action summary")
    assert not offered, f"a recused employee is offered {offered}"
    assert not all_of(handler, "form[action*='/actions/']")
    assert "先向王芳的经理了解情况" not in one(handler, "main").text, "the recused employee can read the internal note"

    # Posting an action anyway, with her own valid session and CSRF token, is refused, in her language.
    answer = post_form(handler, f"/complaints/{number}/actions/add_note",
                       {"_csrf": csrf_token(handler), "version": version, "text": "我想解释一下当时的情况"})
    assert answer["status"] == 403, answer
    assert answer["lang"] == "zh-CN", answer
    open_complaint(agent, number)
    assert "我想解释一下当时的情况" not in timeline_text(agent)
    assert one(agent, "#action-add_note input[name=version]").get_attribute("value") == version, "the complaint changed"


def test_form_post_without_csrf_token_is_refused(browsers, api):
    complaint = api.new_complaint(subject="CSRF 检查")
    agent = browsers.staff("zhangwei")
    open_complaint(agent, complaint["number"])
    version = one(agent, "#action-add_note input[name=version]").get_attribute("value")
    path = f"/complaints/{complaint['number']}/actions/add_note"

    refused = post_form(agent, path, {"version": version, "text": "没有令牌的备注"})
    assert refused["status"] == 403, refused
    forged = post_form(agent, path, {"_csrf": "x" * 43, "version": version, "text": "伪造令牌的备注"})
    assert forged["status"] == 403, forged
    accepted = post_form(agent, path, {"_csrf": csrf_token(agent), "version": version, "text": "带令牌的备注"})
    assert accepted["status"] in (0, 303) and accepted["type"] == "opaqueredirect", accepted  # the success redirect

    open_complaint(agent, complaint["number"])
    timeline = timeline_text(agent)
    assert "带令牌的备注" in timeline
    assert "没有令牌的备注" not in timeline and "伪造令牌的备注" not in timeline
