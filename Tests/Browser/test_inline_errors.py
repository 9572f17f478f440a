"""A form sent with a mistake comes back (422) with the message next to the field, and everything else typed is
still there, so nobody has to type it again."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from support import (
    EN, all_of, choose, choose_option, click_and_wait, fill, go, html_lang, one, open_action, open_complaint,
    page_problems, path_of, select_value, status, submit_action, texts, unique_phone,
)


def field_box(driver, element_id: str):
    """The .field wrapper of an input."""
    return driver.find_element(By.ID, element_id).find_element(By.XPATH, "ancestor::div[contains(@class,'field')][1]")


def send_expecting_error(driver, action: str) -> None:
    form = one(driver, f"#action-{action} form")
    click_and_wait(driver, one(form, "button[type=submit]"))
    assert status(driver) == 422, page_problems(driver)
    details = driver.find_element(By.ID, f"action-{action}")
    assert details.get_attribute("open") is not None, f"the {action} form is not open after the error"
    alert = one(details, "form .alert.error")
    assert alert.is_displayed() and alert.text.strip(), "no error message in the form"


def errors_of(driver, element_id: str) -> str:
    box = field_box(driver, element_id)
    assert "has-error" in box.get_attribute("class"), f"#{element_id} is not marked as wrong"
    errors = box.find_elements(By.CSS_SELECTOR, ".field-error")
    assert errors and errors[0].is_displayed(), f"no error next to #{element_id}"
    return errors[0].text.strip()


def value(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).get_attribute("value")


def test_analysis_without_root_cause_keeps_what_was_typed(browsers, api):
    complaint = api.investigating(subject="表单校验：分析报告")
    handler = browsers.staff("wangfang")
    open_complaint(handler, complaint["number"])
    open_action(handler, "submit_analysis")
    fill(handler, "f-submit_analysis-problemType", "电机异响")
    choose(handler, "f-submit_analysis-technical")
    fill(handler, "f-submit_analysis-findings", "电机轴承磨损，\n运转时有金属摩擦声。")
    fill(handler, "f-submit_analysis-suggestedSolution", "更换电机")
    # root cause left at "—"
    send_expecting_error(handler, "submit_analysis")

    assert errors_of(handler, "f-submit_analysis-rootCause") == "必填项"
    assert value(handler, "f-submit_analysis-problemType") == "电机异响"
    assert value(handler, "f-submit_analysis-findings") == "电机轴承磨损，\n运转时有金属摩擦声。"
    assert value(handler, "f-submit_analysis-suggestedSolution") == "更换电机"
    assert handler.find_element(By.ID, "f-submit_analysis-technical").is_selected(), "the ticked box was lost"
    for other in ("f-submit_analysis-problemType", "f-submit_analysis-findings"):
        assert "has-error" not in field_box(handler, other).get_attribute("class")

    # Fixing the one field is enough.
    select_value(handler, "f-submit_analysis-rootCause", "hardware_fault")
    submit_action(handler, complaint["number"], "submit_analysis")
    assert "电机轴承磨损" in one(handler, "section[aria-labelledby=handling-heading]").text


def test_proposal_errors_in_english_keep_description(browsers, api):
    complaint = api.investigating(subject="Form check: proposal")
    handler = browsers.staff("wangfang", EN)  # her language setting; the next test's browsers.staff() resets it
    open_complaint(handler, complaint["number"])
    assert html_lang(handler) == EN
    open_action(handler, "submit_analysis")
    fill(handler, "f-submit_analysis-problemType", "door seal")
    select_value(handler, "f-submit_analysis-rootCause", "hardware_fault")
    fill(handler, "f-submit_analysis-findings", "The door seal is torn.")
    submit_action(handler, complaint["number"], "submit_analysis")

    open_action(handler, "propose_solution")
    fill(handler, "f-propose_solution-description", "Replace the door seal free of charge.")
    fill(handler, "f-propose_solution-compensation", "eighty")
    # no solution type ticked, and the amount is not a number
    send_expecting_error(handler, "propose_solution")
    assert errors_of(handler, "f-propose_solution-compensation") == "enter an amount such as 300 or 300.50"
    assert value(handler, "f-propose_solution-description") == "Replace the door seal free of charge."
    assert value(handler, "f-propose_solution-compensation") == "eighty"

    choose_option(handler, "propose_solution", "types", "repair")
    fill(handler, "f-propose_solution-compensation", "")
    submit_action(handler, complaint["number"], "propose_solution")


def test_invalid_without_reason_asks_for_the_reason(browsers, api):
    complaint = api.new_complaint(subject="表单校验：无效判定")
    agent = browsers.staff("zhangwei")
    open_complaint(agent, complaint["number"])
    open_action(agent, "check_completeness")
    choose(agent, "f-check_completeness-complete-0")
    fill(agent, "f-check_completeness-note", "资料齐全")
    submit_action(agent, complaint["number"], "check_completeness")

    open_action(agent, "decide_validity")
    choose(agent, "f-decide_validity-valid-1")  # no
    send_expecting_error(agent, "decide_validity")
    assert errors_of(agent, "f-decide_validity-reason")
    assert agent.find_element(By.ID, "f-decide_validity-valid-1").is_selected(), "the chosen answer was lost"


def test_intake_without_customer_name_keeps_text_and_file(browsers, png):
    agent = browsers.staff("zhangwei")
    go(agent, "/intake")
    fill(agent, "customer-phone", unique_phone())
    fill(agent, "subject", "电视黑屏")
    fill(agent, "description", "电视开机十分钟后黑屏，\n有声音没图像。")
    agent.find_element(By.ID, "files").send_keys(str(png))
    # customer name left empty
    click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    assert status(agent) == 422, page_problems(agent)
    assert path_of(agent) == "/intake"
    assert one(agent, ".alert.error").is_displayed()
    assert errors_of(agent, "customer-name")
    assert value(agent, "subject") == "电视黑屏"
    assert value(agent, "description") == "电视开机十分钟后黑屏，\n有声音没图像。"
    kept = texts(agent, "form.intake p.small")
    assert any("photo.png" in k for k in kept), f"the chosen file was dropped: {kept}"

    fill(agent, "customer-name", "吴先生")
    click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    if path_of(agent) == "/intake" and all_of(agent, "fieldset.repeat-check"):
        click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    assert path_of(agent).startswith("/intake/saved/"), page_problems(agent)
    click_and_wait(agent, one(agent, "#intake-saved a[data-saved-number]"))
    assert texts(agent, "section[aria-labelledby=intake-heading] ul.files li a") == ["photo.png"]


def test_portal_submit_without_phone_keeps_what_was_typed(new_browser):
    customer = new_browser(mobile=True)
    go(customer, "/portal/submit")
    fill(customer, "name", "何女士")
    fill(customer, "subject", "快递三天没动")
    fill(customer, "description", "订单显示已发货三天，物流信息一直没有更新。")
    click_and_wait(customer, one(customer, "main form[action='/portal/submit'] button[type=submit]"))
    assert status(customer) == 422, page_problems(customer)
    assert errors_of(customer, "phone") == "请填写电话号码，查询进度时需要"
    assert value(customer, "name") == "何女士"
    assert value(customer, "subject") == "快递三天没动"
    assert value(customer, "description") == "订单显示已发货三天，物流信息一直没有更新。"
    assert customer.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")

    fill(customer, "phone", unique_phone())
    click_and_wait(customer, one(customer, "main form[action='/portal/submit'] button[type=submit]"))
    assert "done=submitted" in customer.current_url, page_problems(customer)
    assert one(customer, "[data-number]").text.strip()
