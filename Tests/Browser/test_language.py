"""The language switch: it follows the signed-in user to any browser, and it leaves you where you were."""

from __future__ import annotations

from urllib.parse import parse_qs

from support import (
    EN, ZH, all_of, click_and_wait, go, html_lang, one, open_action, open_complaint, page_problems, path_of, query_of,
    sign_in, status, use_language,
)


def test_choice_is_stored_on_the_user(browsers, new_browser):
    first = browsers.staff("chenxi", EN)
    assert html_lang(first) == EN
    second = new_browser()
    go(second, "/login")
    assert html_lang(second) == ZH, "a signed-out browser preferring Chinese gets Chinese"
    sign_in(second, "chenxi")
    assert html_lang(second) == EN, "the user's choice did not follow them to another browser"
    assert one(second, ".topbar form[action='/language'] button").text == "中文"
    use_language(second, ZH)
    go(first, "/queue")
    assert html_lang(first) == ZH


def test_switch_keeps_the_queue_view_and_filters(browsers):
    supervisor = browsers.staff("liqiang")
    go(supervisor, "/queue?view=department&q=%E6%BC%8F%E6%B0%B4&priority=P1")
    use_language(supervisor, EN)
    assert path_of(supervisor) == "/queue"
    query = parse_qs(query_of(supervisor))
    assert query == {"view": ["department"], "q": ["漏水"], "priority": ["P1"]}, (
        f"switching the language lost the view and filters: landed on {supervisor.current_url}")


def test_switch_after_a_form_error_stays_on_the_complaint(browsers, api):
    complaint = api.investigating(subject="切换语言：表单错误之后")
    number = complaint["number"]
    handler = browsers.staff("wangfang")
    open_complaint(handler, number)
    open_action(handler, "submit_analysis")
    click_and_wait(handler, one(handler, "#action-submit_analysis form button[type=submit]"))  # all fields empty
    assert status(handler) == 422, page_problems(handler)
    click_and_wait(handler, one(handler, ".topbar-end form[action='/language'] button"))
    assert status(handler) == 200 and html_lang(handler) == EN, (
        f"switching the language after a form error: {handler.current_url} {status(handler)} "
        f"{handler.execute_script('return document.contentType;')}")
    assert path_of(handler) == f"/complaints/{number}"
    assert one(handler, ".complaint-head .number").text == number


def test_unknown_address_gets_a_page_in_the_users_language(browsers, api, new_browser):
    """A mistyped or stale address (a bookmark, the address bar after a form was sent) gets the 404 page in the
    user's language, never the API's JSON problem; at the top level as well as under a known prefix."""
    number = api.new_complaint(subject="未知地址检查")["number"]
    problems = []

    def check(driver, path: str, title: str) -> None:
        go(driver, path)
        content_type = driver.execute_script("return document.contentType;")
        h1 = [h.text for h in all_of(driver, "h1")]
        if status(driver) != 404 or content_type != "text/html" or h1 != [title]:
            problems.append(f"GET {path}: {status(driver)} {content_type} h1={h1}")

    agent = browsers.staff("zhangwei")
    for path in ("/no-such-page", "/queue/no-such-page", f"/complaints/{number}/no-such-page",
                 f"/complaints/{number}/actions/add_note", "/admin/no-such-page"):
        check(agent, path, "找不到页面")
    agent = browsers.staff("zhangwei", EN)
    check(agent, "/no-such-page", "Not found")
    visitor = new_browser()
    for path in ("/no-such-page", "/portal/no-such-page", "/portal/complaint/no-such-step"):
        check(visitor, path, "找不到页面")
    assert not problems, "addresses answered with something other than the 404 page:\n" + "\n".join(problems)
