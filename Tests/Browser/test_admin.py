"""Administration: an administrator's change shows at once and is listed in the audit log; other staff are kept out."""

from __future__ import annotations

import re
import uuid

from support import (
    EN, all_of, click_and_wait, fill, go, html_lang, one, page_problems, screenshot, status, texts,
)


def test_department_change_is_listed_in_audit(browsers):
    code = "browser_" + uuid.uuid4().hex[:8]
    admin = browsers.staff("admin")
    go(admin, "/admin/departments")
    fill(admin, "dept-id", code)
    fill(admin, "dept-zh", "浏览器测试部")
    fill(admin, "dept-en", "Browser testing")
    click_and_wait(admin, one(admin, "form[action='/admin/departments'] button[type=submit]"))
    assert status(admin) == 200, page_problems(admin)
    assert one(admin, ".alert.success").is_displayed()
    rows = [r for r in texts(admin, "table.list tbody tr") if code in r]
    assert rows and "浏览器测试部" in rows[0] and "Browser testing" in rows[0], rows

    go(admin, "/admin/audit")
    entries = [r for r in texts(admin, "table.list tbody tr") if code in r]
    assert entries, f"the change is not in the audit log: {texts(admin, 'table.list tbody tr')[:5]}"
    assert "admin" in entries[0] or "管理员" in entries[0], entries[0]
    screenshot(admin, "admin-audit", max_height=1400)


def test_department_form_keeps_input_on_error(browsers):
    admin = browsers.staff("admin")
    go(admin, "/admin/departments")
    fill(admin, "dept-id", "not a code!")
    fill(admin, "dept-zh", "错误代码部")
    fill(admin, "dept-en", "Bad code")
    click_and_wait(admin, one(admin, "form[action='/admin/departments'] button[type=submit]"))
    assert status(admin) == 422, page_problems(admin)
    assert one(admin, "#dept-id").get_attribute("value") == "not a code!"
    assert one(admin, "#dept-zh").get_attribute("value") == "错误代码部"
    errors = one(admin, "#dept-id").find_elements("xpath", "following-sibling::p[contains(@class,'field-error')]")
    assert errors and errors[0].is_displayed(), "no error next to the code"


def test_other_staff_may_not_open_administration(browsers):
    agent = browsers.staff("zhangwei")
    assert not all_of(agent, ".topbar nav a[href='/admin']"), "an agent is offered the administration link"
    for path in ("/admin/users", "/admin/policy", "/admin/audit"):
        go(agent, path)
        assert status(agent) == 403, f"{path}: {page_problems(agent)}"
        assert one(agent, "h1").text == "无权访问"
    agent = browsers.staff("zhangwei", EN)
    go(agent, "/admin/users")
    assert status(agent) == 403 and html_lang(agent) == EN and one(agent, "h1").text == "Not allowed"


def test_audit_log_speaks_the_users_language(browsers):
    """The "what" of each audit entry is shown in words of the page's language, not as an internal code such as
    "department.save" (a Chinese administrator reads 保存部门, an English one "saved department")."""
    admin = browsers.staff("admin")
    go(admin, "/admin/departments")
    fill(admin, "dept-id", "browser_" + uuid.uuid4().hex[:8])
    fill(admin, "dept-zh", "审计语言检查")
    fill(admin, "dept-en", "Audit language check")
    click_and_wait(admin, one(admin, "form[action='/admin/departments'] button[type=submit]"))
    go(admin, "/admin/audit")
    what = admin.execute_script(
        "return Array.from(document.querySelectorAll('table.list tbody tr td:nth-child(3)'))"
        ".map(td => td.textContent.trim());")
    assert what, "the audit log is empty"
    codes = sorted({w for w in what if re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", w)})
    assert not codes, f"the audit log shows internal codes instead of words: {codes}"


def test_a_scheduled_report_is_chosen_for_readers_and_removed(browsers):
    admin = browsers.staff("admin")
    go(admin, "/admin/reports")
    assert status(admin) == 200, page_problems(admin)
    offered = [c.get_dom_attribute("value") for c in all_of(admin, "input[name=recipient]")]
    assert "sunli" in offered and "zhangwei" not in offered, offered
    one(admin, "#reports-frequency option[value=weekly]").click()
    one(admin, "input[name=recipient][value=sunli]").click()
    click_and_wait(admin, one(admin, "form[action='/admin/reports'] button[type=submit]"))
    assert status(admin) == 200, page_problems(admin)
    assert one(admin, ".alert.success").is_displayed()
    rows = [r for r in all_of(admin, "table.list tbody tr") if "孙丽" in r.text and "周报" in r.text]
    assert rows, texts(admin, "table.list tbody tr")
    screenshot(admin, "admin-reports", max_height=1400)
    click_and_wait(admin, one(rows[0], "button.danger"))
    assert not [r for r in texts(admin, "table.list tbody tr") if "孙丽" in r and "周报" in r]
