"""Signing in: a wrong password keeps you on the sign-in page with a message and no session, in either language;
the right one takes you to your queue, and signing out ends the session."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from support import (
    EN, ZH, click_and_wait, fill, go, html_lang, one, path_of, sign_in, status, use_language,
)


def try_password(driver, username: str, password: str) -> None:
    fill(driver, "username", username)
    fill(driver, "password", password)
    click_and_wait(driver, one(driver, "main form[action='/login'] button[type=submit]"))


def assert_refused(driver, username: str, message: str) -> None:
    assert path_of(driver) == "/login", driver.current_url
    assert status(driver) == 401
    alert = one(driver, ".alert.error")
    assert alert.is_displayed() and alert.text.strip() == message, alert.text
    assert driver.find_element(By.ID, "username").get_attribute("value") == username, "the username was not kept"
    assert driver.find_element(By.ID, "password").get_attribute("value") == "", "the password was echoed back"
    assert driver.get_cookie("cl_session") is None, "a failed sign-in left a session cookie"
    # Still signed out: the queue sends the browser back to the sign-in page.
    go(driver, "/queue")
    assert path_of(driver) == "/login", driver.current_url


def test_wrong_password_stays_on_sign_in_page(new_browser):
    driver = new_browser()
    go(driver, "/login")
    assert html_lang(driver) == ZH, "a browser preferring Chinese should get the Chinese page"
    assert one(driver, "h1").text == "员工登录"
    try_password(driver, "sunli", "not-the-password")
    assert_refused(driver, "sunli", "用户名或密码错误")

    use_language(driver, EN)  # the header's "English" button
    assert one(driver, "h1").text == "Staff sign-in"
    try_password(driver, "sunli", "closeloop-dem0")
    assert html_lang(driver) == EN
    assert_refused(driver, "sunli", "Wrong username or password")

    # The language choice of a signed-out browser sticks (a cookie) and the right password still works.
    go(driver, "/login")
    assert html_lang(driver) == EN
    sign_in(driver, "sunli")
    assert driver.get_cookie("cl_session") is not None
    click_and_wait(driver, one(driver, ".topbar form[action='/logout'] button"))
    assert path_of(driver) == "/login"
    go(driver, "/queue")
    assert path_of(driver) == "/login", "signing out did not end the session"


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(new_browser):
    driver = new_browser()
    go(driver, "/login")
    use_language(driver, ZH)
    try_password(driver, "nobody-here", "closeloop-demo")
    assert_refused(driver, "nobody-here", "用户名或密码错误")
