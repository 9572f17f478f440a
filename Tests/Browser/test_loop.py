"""The whole loop of SPEC §4, through the pages only, as the customer and six employees would go through it."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from support import (
    all_of, choose, choose_option, click_and_wait, fill, follow_queue_link, go, one, open_action, open_complaint,
    page_problems, path_of, screenshot, select_text, select_value, state_code, state_label, status, submit_action,
    texts, timeline_text, unique_phone,
)


def portal_state(customer) -> str:
    return one(customer, "[data-state]").text.strip()


def track(customer, number: str, phone: str) -> None:
    """The customer finds their complaint again by number and phone."""
    go(customer, "/portal/track")
    fill(customer, "number", number)
    fill(customer, "phone", phone)
    click_and_wait(customer, one(customer, "main form[action='/portal/track'] button[type=submit]"))
    assert path_of(customer) == "/portal/complaint", page_problems(customer)
    assert one(customer, "[data-number]").text.strip() == number


def test_complaint_goes_round_the_whole_loop(browsers, png, tmp_path):
    customer = browsers.customer()
    phone = unique_phone()

    # --- The customer submits on the portal, with a photo, and gets a number. ---
    click_and_wait(customer, one(customer, "a[href='/portal/submit']"))
    fill(customer, "name", "林先生")
    fill(customer, "phone", phone)
    fill(customer, "email", f"lin.{phone}@example.com")
    fill(customer, "reference", "SO-2026-88231")
    fill(customer, "product", "滚筒洗衣机 X10")
    fill(customer, "subject", "洗衣机漏水，地板泡坏")
    fill(customer, "description", "洗衣机用了三天就开始漏水，厨房木地板已经泡坏，希望维修并赔偿。")
    for box in all_of(customer, "input[name=remedies]"):
        if box.get_attribute("value") in ("repair", "compensation"):
            box.click()
    customer.find_element(By.ID, "photos").send_keys(str(png))
    screenshot(customer, "portal-submit-mobile")
    click_and_wait(customer, one(customer, "main form[action='/portal/submit'] button[type=submit]"))
    assert path_of(customer) == "/portal/complaint" and "done=submitted" in customer.current_url, (
        page_problems(customer))
    assert status(customer) == 200
    assert one(customer, ".alert.success").is_displayed()
    # The promise names when we will be in touch (the first contact's deadline), not "as soon as possible".
    promise = one(customer, ".alert.success").text
    assert re.search(r"我们将在 \d+月\d+日 \d\d:\d\d 前联系您", promise) and "尽快" not in promise, promise
    # The customer sees the photo they sent, drawn from their own session.
    thumbs = all_of(customer, "[data-uploads] img")
    assert len(thumbs) == 1 and customer.execute_script("return arguments[0].naturalWidth", thumbs[0]) > 0
    number = one(customer, "[data-number]").text.strip()
    assert number, "the portal showed no complaint number"
    assert portal_state(customer) == "我们已收到您的投诉，正在核实"
    assert any(number in step for step in texts(customer, "ol.steps li")), texts(customer, "ol.steps li")

    # --- Agent zhangwei: complete, valid. The customer's photo is on the complaint. ---
    agent = browsers.staff("zhangwei")
    open_complaint(agent, number)
    assert state_code(agent) == "received"
    attachments = texts(agent, "section[aria-labelledby=intake-heading] ul.files li a")
    assert attachments == ["photo.png"], attachments
    open_action(agent, "check_completeness")
    choose(agent, "f-check_completeness-complete-0")
    fill(agent, "f-check_completeness-note", "客户姓名、电话、订单号齐全，有照片")
    submit_action(agent, number, "check_completeness")
    open_action(agent, "decide_validity")
    choose(agent, "f-decide_validity-valid-0")
    submit_action(agent, number, "decide_validity")
    assert state_code(agent) == "validated"

    # --- Supervisor liqiang classifies and assigns. ---
    supervisor = browsers.staff("liqiang")
    open_complaint(supervisor, number)
    open_action(supervisor, "assign")
    select_value(supervisor, "f-assign-category", "quality")
    select_value(supervisor, "f-assign-priority", "P1")
    select_value(supervisor, "f-assign-severity", "very_dissatisfied")
    select_value(supervisor, "f-assign-department", "after_sales")
    select_text(supervisor, "f-assign-owner", "(zhangwei)")
    select_text(supervisor, "f-assign-handler", "(wangfang)")
    submit_action(supervisor, number, "assign")
    assert state_code(supervisor) == "investigating"
    assert state_label(supervisor) == "调查处理中"

    # --- Handler wangfang analyses and proposes ¥800, over her ¥200: it needs approval. ---
    handler = browsers.staff("wangfang")
    open_complaint(handler, number)
    open_action(handler, "submit_analysis")
    fill(handler, "f-submit_analysis-problemType", "进水阀密封不良")
    select_value(handler, "f-submit_analysis-rootCause", "hardware_fault")
    choose(handler, "f-submit_analysis-technical")
    fill(handler, "f-submit_analysis-findings", "上门检查：进水阀密封圈破损，导致持续渗水。")
    fill(handler, "f-submit_analysis-suggestedSolution", "更换进水阀并赔偿地板损失")
    submit_action(handler, number, "submit_analysis")
    open_action(handler, "propose_solution")
    choose(handler, "f-propose_solution-types-0")  # apology, the first option
    choose_option(handler, "propose_solution", "types", "compensation")
    fill(handler, "f-propose_solution-description", "致歉，并赔偿地板损失 800 元")
    fill(handler, "f-propose_solution-compensation", "800")
    submit_action(handler, number, "propose_solution")
    assert state_code(handler) == "awaiting_approval"
    assert state_label(handler) == "待审批"
    handling = one(handler, "section[aria-labelledby=handling-heading]").text
    assert "¥800" in handling and "道歉" in handling and "经济补偿" in handling, handling
    assert "部门经理" in handling, f"the proposal should name the department manager as approver: {handling}"
    screenshot(handler, "complaint-awaiting-approval")

    # --- Manager zhaolei finds it among his approvals and approves. ---
    manager = browsers.staff("zhaolei")
    go(manager, "/queue?view=approvals")
    follow_queue_link(manager, number)
    open_action(manager, "decide_approval")
    choose(manager, "f-decide_approval-approved-0")
    fill(manager, "f-decide_approval-comment", "同意赔偿 800 元")
    submit_action(manager, number, "decide_approval")
    assert state_code(manager) == "proposed"

    # --- The customer tracks it, sees the proposal, and rejects it with a comment. ---
    track(customer, number, phone)
    assert portal_state(customer) == "处理方案等待您的确认"
    proposal = one(customer, "section[aria-labelledby=proposal-heading]").text
    assert "800" in proposal, proposal
    screenshot(customer, "portal-proposal-mobile")
    choose(customer, "decision-reject")
    fill(customer, "respond-comment", "800 元不够换地板，希望直接换一台新洗衣机")
    click_and_wait(customer, one(customer, "form[action='/portal/complaint/respond'] button[type=submit]"))
    assert "done=respond" in customer.current_url, page_problems(customer)
    assert portal_state(customer) == "正在调查处理"

    # --- Back in investigating, with the customer's words on the staff timeline. ---
    open_complaint(handler, number)
    assert state_code(handler) == "investigating"
    assert "800 元不够换地板，希望直接换一台新洗衣机" in timeline_text(handler)

    # --- A new proposal within her authority goes straight to the customer, who accepts. ---
    open_action(handler, "propose_solution")
    choose_option(handler, "propose_solution", "types", "replacement")
    choose_option(handler, "propose_solution", "types", "compensation")
    fill(handler, "f-propose_solution-description", "更换一台新洗衣机，并补偿 150 元")
    fill(handler, "f-propose_solution-compensation", "150")
    submit_action(handler, number, "propose_solution")
    assert state_code(handler) == "proposed"
    handling = one(handler, "section[aria-labelledby=handling-heading]").text
    assert "¥150" in handling and "换货" in handling and "经济补偿" in handling, handling

    track(customer, number, phone)
    assert "150" in one(customer, "section[aria-labelledby=proposal-heading]").text
    choose(customer, "decision-accept")
    click_and_wait(customer, one(customer, "form[action='/portal/complaint/respond'] button[type=submit]"))
    assert "done=respond" in customer.current_url, page_problems(customer)
    assert portal_state(customer) == "正在按方案处理"

    # --- wangfang records progress with an evidence photo, finishes, and returns the result. ---
    evidence = tmp_path / "evidence.png"
    evidence.write_bytes(png.read_bytes())
    open_complaint(handler, number)
    assert state_code(handler) == "executing"
    open_action(handler, "record_progress")
    fill(handler, "f-record_progress-note", "新洗衣机已送达并安装，旧机已回收")
    choose(handler, "f-record_progress-workFinished")
    handler.find_element(By.ID, "f-record_progress-files").send_keys(str(evidence))
    submit_action(handler, number, "record_progress")
    files = texts(handler, "#timeline ul.files li a")
    assert "evidence.png" in files, files
    open_action(handler, "return_result")
    fill(handler, "f-return_result-summary", "已更换新机，补偿 150 元已发放")
    submit_action(handler, number, "return_result")
    assert state_code(handler) == "verifying"

    # --- The customer confirms: solved, satisfied, 5 stars. ---
    track(customer, number, phone)
    assert portal_state(customer) == "处理已完成，请确认结果"
    # Before rating, the customer reads what was done and sees the photo of the work.
    assert one(customer, "[data-result-summary]").text == "已更换新机，补偿 150 元已发放"
    evidence_thumbs = all_of(customer, "[data-evidence] img")
    assert len(evidence_thumbs) == 1
    assert customer.execute_script("return arguments[0].naturalWidth", evidence_thumbs[0]) > 0
    screenshot(customer, "portal-confirm-result-mobile")
    choose(customer, "solved-yes")
    choose(customer, "satisfied-yes")
    choose(customer, "score-5")
    fill(customer, "confirm-comment", "新机器很好用，谢谢")
    click_and_wait(customer, one(customer, "form[action='/portal/complaint/confirm'] button[type=submit]"))
    assert "done=confirm" in customer.current_url, page_problems(customer)
    assert "5 / 5" in one(customer, "main").text

    # --- Owner zhangwei records the return visit; supervisor liqiang countersigns and closes. ---
    open_complaint(agent, number)
    assert state_code(agent) == "return_visit"
    open_action(agent, "record_return_visit")
    fill(agent, "f-record_return_visit-notes", "回访：客户确认新机运行正常，对处理满意")
    submit_action(agent, number, "record_return_visit")
    assert state_code(agent) == "awaiting_countersign"

    open_complaint(supervisor, number)
    open_action(supervisor, "close")
    fill(supervisor, "f-close-note", "会签结案")
    screenshot(supervisor, "complaint", max_height=1700)
    submit_action(supervisor, number, "close")
    assert state_code(supervisor) == "closed"
    assert state_label(supervisor) == "已结案"

    # --- The customer's page says it is finished. ---
    track(customer, number, phone)
    assert portal_state(customer) == "已结案"
    assert not all_of(customer, "form[action='/portal/complaint/respond'], form[action='/portal/complaint/confirm']")
    screenshot(customer, "portal-closed-mobile")
