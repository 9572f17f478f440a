"""The staff complaint page: the customer's contact details are masked until someone who needs them asks."""

from __future__ import annotations

from support import all_of, click_and_wait, csrf_token, one, open_complaint, post_form, status, unique_phone


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
