"""The staff complaint page: the customer's contact details are masked until someone who needs them asks."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from support import (
    all_of, click_and_wait, csrf_token, fill, go, one, open_complaint, page_problems, post_form, status, texts,
    unique_phone,
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
    click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    if all_of(agent, "fieldset.repeat-check"):
        click_and_wait(agent, one(agent, "form.intake button[type=submit]"))
    assert "done=received" in agent.current_url, page_problems(agent)
    sizes = texts(agent, "section[aria-labelledby=intake-heading] ul.files li .small")
    assert sizes, "no file size shown"
    english = [s for s in sizes if re.search(r"[A-Za-z]{3,}", s)]
    assert not english, f"file sizes in English on a Chinese page: {english}"
