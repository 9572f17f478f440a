"""Head office's work on the figures: a case written on a closed complaint, published and found in the library; an
improvement action raised from a hotspot, done by its owner and verified; a spot check drawn and scored."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By

from support import (all_of, click_and_wait, go, make_driver, one, open_action, path_of, sign_in, status,
                     submit_action, texts)


def fill_in(form, name: str, value: str) -> None:
    field = form.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def closed(api, **fields) -> dict:
    """A complaint taken through the whole loop to closed (a repair within the handler's authority)."""
    c = api.investigating(**fields)
    c = api.act(c, "submit-analysis", "wangfang", problemType="产品质量", rootCause="hardware_fault", findings="电容老化")
    c = api.act(c, "propose-solution", "wangfang", types=["repair"], description="上门更换电容")
    c = api.act(c, "respond-to-proposal", "zhangwei", accepted=True)
    c = api.act(c, "record-progress", "wangfang", note="已更换", workFinished=True)
    c = api.act(c, "return-result", "wangfang", summary="维修完成")
    c = api.act(c, "verify", "zhangwei", solved=True, satisfied=True, score=4)
    c = api.act(c, "record-return-visit", "zhangwei", notes="回访满意")
    c = api.act(c, "close", "liqiang")
    assert c["state"] == "closed", c["state"]
    return c


def test_a_case_is_written_published_and_found(api):
    token = "案例" + uuid.uuid4().hex[:6]
    complaint = closed(api, subject=f"电容老化 {token}")
    driver = make_driver()
    try:
        sign_in(driver, "sunli")
        go(driver, f"/complaints/{complaint['number']}")
        form = open_action(driver, "write_case")
        fill_in(form, "title", f"电容老化返修 {token}")
        fill_in(form, "cause", "电容批次不良。")
        fill_in(form, "handling", "上门更换电容。")
        fill_in(form, "lesson", f"来料检验要抽检电容 {token}。")
        submit_action(driver, complaint["number"], "write_case")
        go(driver, f"/cases/{complaint['number']}")
        click_and_wait(driver, one(driver, "form[action$='/publish'] button"))
        go(driver, "/cases")
        fill_in(driver, "q", token)
        click_and_wait(driver, one(driver, "form[role=search] button[type=submit]"))
        assert any(token in t for t in texts(driver, "ul.case-list h2")), texts(driver, "ul.case-list")
    finally:
        driver.quit()


def test_an_action_is_raised_from_a_hotspot_done_and_verified():
    quality = make_driver()
    owner = make_driver()
    try:
        sign_in(quality, "sunli")
        go(quality, "/hotspots?period=quarter")
        links = [a for a in all_of(quality, "a") if a.text == "提出整改"]
        assert links, "a hotspot phrase offers to raise an action"
        click_and_wait(quality, links[0])
        assert path_of(quality) == "/actions/new"
        one(quality, "#action-department").send_keys("售后服务部")
        one(quality, "#action-owner").send_keys("王芳")
        quality.execute_script("document.getElementById('action-due').value = '2099-12-31';")
        click_and_wait(quality, one(quality, "form[action='/actions'] button[type=submit]"))
        assert path_of(quality).startswith("/actions/IA-"), texts(quality, ".field-error")
        action = path_of(quality)

        sign_in(owner, "wangfang")
        go(owner, action)
        click_and_wait(owner, one(owner, "form input[value=start] ~ button"))
        fill_in(owner, "note", "已为安装单加装减震垫")
        click_and_wait(owner, one(owner, "form input[value=finish] ~ button"))
        assert "已完成待验证" in " ".join(texts(owner, ".badge"))

        go(quality, action)
        click_and_wait(quality, one(quality, "form input[value=verify] ~ button"))
        assert "已验证" in " ".join(texts(quality, ".badge"))
    finally:
        quality.quit()
        owner.quit()


def test_a_spot_check_is_drawn_and_scored():
    driver = make_driver()
    try:
        sign_in(driver, "sunli")
        go(driver, "/quality")
        draws = all_of(driver, "form[action='/quality/draw'] button")
        if draws:
            click_and_wait(driver, draws[0])
        checks = all_of(driver, "section.card ul a")
        assert checks, "the demo's history has closed complaints to draw"
        click_and_wait(driver, checks[0])
        for field in all_of(driver, "input[type=number]"):
            field.clear()
            field.send_keys("80")
        click_and_wait(driver, one(driver, "form button[type=submit].primary"))
        assert status(driver) == 200
        assert "80" in one(driver, "main").text
    finally:
        driver.quit()
