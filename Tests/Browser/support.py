"""Helpers of the browser suite: Chromium drivers, the moves a person makes on the pages, and a small API client for
setting up data that a test does not want to click through.

Everything waits with WebDriverWait on something a person would see (a new page, an element, an attribute); nothing
sleeps.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import uuid
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import requests
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(os.environ.get("CLOSELOOP_BROWSER_ROOT") or Path(__file__).resolve().parents[2])
DATABASE = os.environ.get("CLOSELOOP_BROWSER_DATABASE", "sqlite")
ARTIFACTS = Path(os.environ.get("CLOSELOOP_BROWSER_ARTIFACTS") or ROOT / "artifacts" / "screenshots" / DATABASE)
CHROMIUM = os.environ.get("CLOSELOOP_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CLOSELOOP_CHROMEDRIVER", "/usr/bin/chromedriver")
PASSWORD = "closeloop-demo"
WAIT = 20  # seconds for a page to arrive after a click; generous for a loaded 2-core CI machine
MOBILE = (390, 844)
ZH, EN = "zh-CN", "en"

# The base URL of the site (no /api/v1); conftest.py sets it once the server answers.
BASE = os.environ.get("CLOSELOOP_BROWSER_BASE_URL", "").rstrip("/")


def url(path: str) -> str:
    return BASE + path


# --- Drivers ------------------------------------------------------------------------------------------------------


def make_driver(*, mobile: bool = False) -> WebDriver:
    """A headless Chromium (Debian's) whose browser prefers Simplified Chinese, as the company's staff do."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in [
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-features=Translate,MediaRouter,OptimizationHints,PasswordLeakDetection",
        "--password-store=basic",
        "--lang=zh-CN",
        "--window-size=1280,900",
    ]:
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"intl.accept_languages": "zh-CN,zh", "credentials_enable_service": False,
                  "profile.password_manager_enabled": False})
    if mobile:
        width, height = MOBILE
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}})
    # Network events (for the live queue's event stream) come from the performance log.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    return driver


# --- Pages --------------------------------------------------------------------------------------------------------


def wait(driver: WebDriver, timeout: float = WAIT) -> WebDriverWait:
    # Polls often: most waits are for a page that arrives within a few hundred milliseconds.
    return WebDriverWait(driver, timeout, poll_frequency=0.05)


def go(driver: WebDriver, path: str) -> None:
    driver.get(url(path))
    wait_loaded(driver)


def wait_loaded(driver: WebDriver) -> None:
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _mark_page(driver: WebDriver) -> None:
    # A mark on the current document's window: the next document starts without it. (Selenium's staleness_of
    # can fail with "Node with given id does not belong to the document" while Chromium swaps documents.)
    driver.execute_script("window.__closeloopOldPage = true;")


def _wait_for_new_page(driver: WebDriver, what: str) -> None:
    def arrived(d: WebDriver) -> bool:
        try:
            return d.execute_script(
                "return window.__closeloopOldPage === undefined && document.readyState === 'complete';")
        except WebDriverException:  # between two documents
            return False

    wait(driver).until(arrived, f"{what} on {driver.current_url} did not load a new page")


def expect_new_page(driver: WebDriver) -> None:
    """Marks the page shown before a key or click that loads another, for `wait_for_new_page`."""
    _mark_page(driver)


def wait_for_new_page(driver: WebDriver, what: str) -> None:
    """Waits until the page marked by `expect_new_page` has been replaced and the new one has loaded."""
    _wait_for_new_page(driver, what)


def click_and_wait(driver: WebDriver, element: WebElement) -> None:
    """Clicks something that loads a new page (a submit button, a link) and waits until the new page is there."""
    _mark_page(driver)
    label = element.text or element.get_attribute("value") or element.get_attribute("href")
    element.click()
    _wait_for_new_page(driver, f"clicking {label!r}")


def follow_queue_link(driver: WebDriver, number: str) -> None:
    """Clicks the complaint's link in the queue's rows. Found and clicked in one script: the live refresh may
    replace the rows at any moment, and a link found a moment earlier would then be gone."""
    _mark_page(driver)
    found = driver.execute_script(
        """const link = document.querySelector(`#queue-rows a[href='/complaints/${arguments[0]}']`);
           if (link) link.click();
           return !!link;""", number)
    assert found, f"{number} is not in the queue: {driver.find_element(By.ID, 'queue-rows').text}"
    _wait_for_new_page(driver, f"following {number}")


def status(driver: WebDriver) -> int:
    """The HTTP status of the page the browser shows (after redirects), as the browser received it."""
    return driver.execute_script(
        "const e = performance.getEntriesByType('navigation')[0]; return e ? e.responseStatus : 0;")


def path_of(driver: WebDriver) -> str:
    return urlsplit(driver.current_url).path


def query_of(driver: WebDriver) -> str:
    return urlsplit(driver.current_url).query


def html_lang(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def one(driver_or_element, css: str) -> WebElement:
    return driver_or_element.find_element(By.CSS_SELECTOR, css)


def all_of(driver_or_element, css: str) -> list[WebElement]:
    return driver_or_element.find_elements(By.CSS_SELECTOR, css)


def texts(driver_or_element, css: str) -> list[str]:
    return [e.text.strip() for e in all_of(driver_or_element, css)]


def fill(driver: WebDriver, element_id: str, value: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(value)


def choose(driver: WebDriver, element_id: str) -> None:
    """Ticks a radio button or checkbox (by clicking it, as a person would); leaves a ticked checkbox ticked."""
    box = driver.find_element(By.ID, element_id)
    if not box.is_selected():
        box.click()
    assert box.is_selected(), f"#{element_id} did not get ticked"


def choose_option(driver: WebDriver, action: str, field: str, value: str) -> None:
    """Ticks the option `value` of an action form's radio or checkbox group (ids are f-ACTION-FIELD-INDEX)."""
    boxes = [b for b in all_of(driver, f"#action-{action} input[name='{field}']") if b.get_attribute("value") == value]
    assert len(boxes) == 1, f"{action}.{field} has no single option {value!r}"
    element_id = boxes[0].get_attribute("id")
    assert element_id.startswith(f"f-{action}-{field}-"), element_id
    choose(driver, element_id)


def open_filters(driver: WebDriver) -> None:
    """Unfolds a queue's filter panel (folded unless filters are in use), as a person clicks 筛选."""
    panel = one(driver, "details.filter-panel")
    if panel.get_attribute("open") is None:
        one(panel, "summary").click()
        wait(driver).until(lambda _: panel.get_attribute("open") is not None)


def select_value(driver: WebDriver, element_id: str, value: str) -> None:
    Select(driver.find_element(By.ID, element_id)).select_by_value(value)


def select_text(driver: WebDriver, element_id: str, contains: str) -> None:
    """Picks the option whose visible text contains `contains`, e.g. "(wangfang)" in "王芳 (wangfang)"."""
    select = Select(driver.find_element(By.ID, element_id))
    labels = [o.text for o in select.options]
    for index, label in enumerate(labels):
        if contains in label:
            select.select_by_index(index)
            return
    raise AssertionError(f"#{element_id} has no option containing {contains!r}: {labels}")


def use_language(driver: WebDriver, lang: str) -> None:
    """Switches the page language with the header's button when the page is not already in `lang`."""
    if html_lang(driver) != lang:
        click_and_wait(driver, one(driver, ".topbar-end form[action='/language'] button"))
    assert html_lang(driver) == lang, f"the language switch did not give lang={lang}: {driver.current_url}"


# The demo users who start on a dashboard (management, quality, a department manager who handles nothing); the others
# start on their queue.
DASHBOARD_FIRST = {"chenjing", "liuyang", "sunli", "zhaolei", "zhoujie"}


def sign_in(driver: WebDriver, username: str, password: str = PASSWORD) -> None:
    go(driver, "/login")
    fill(driver, "username", username)
    fill(driver, "password", password)
    click_and_wait(driver, one(driver, "main form[action='/login'] button[type=submit]"))
    landing = "/dashboard" if username in DASHBOARD_FIRST else "/queue"
    assert path_of(driver) == landing, (
        f"signing in as {username} ended on {driver.current_url} (status {status(driver)}): "
        f"{texts(driver, '.alert')}")


def page_problems(driver: WebDriver) -> str:
    """What the page says went wrong, for failure messages."""
    parts = [f"{driver.current_url} status {status(driver)}"]
    parts += [f"alert: {t}" for t in texts(driver, ".alert")]
    parts += [f"field error: {t}" for t in texts(driver, ".field-error")]
    if not all_of(driver, ".alert") and status(driver) >= 400:
        parts.append(one(driver, "main").text[:500])
    return "; ".join(parts)


# --- The complaint page ---------------------------------------------------------------------------------------------


def open_complaint(driver: WebDriver, number: str) -> None:
    go(driver, f"/complaints/{number}")
    assert status(driver) == 200, page_problems(driver)


def state_code(driver: WebDriver) -> str:
    """The state of the complaint shown on the staff complaint page, from its state badge (e.g. "investigating")."""
    badge = one(driver, ".complaint-head .badge[class*='state-']")
    match = re.search(r"\bstate-([a-z_]+)", badge.get_attribute("class"))
    assert match, badge.get_attribute("class")
    return match.group(1)


def state_label(driver: WebDriver) -> str:
    return one(driver, ".complaint-head .badge[class*='state-']").text.strip()


def available_actions(driver: WebDriver) -> list[str]:
    return [e.get_attribute("id").removeprefix("action-") for e in all_of(driver, "details.action")]


def open_action(driver: WebDriver, action: str) -> WebElement:
    """Opens the action's <details> (when closed) and returns its form."""
    try:
        details = driver.find_element(By.ID, f"action-{action}")
    except NoSuchElementException:
        raise AssertionError(
            f"no {action} form on {driver.current_url}; the page offers {available_actions(driver)}") from None
    if details.get_attribute("open") is None:
        one(details, "summary").click()
        wait(driver).until(lambda _: details.get_attribute("open") is not None)
    return one(details, "form")


def submit_action(driver: WebDriver, number: str, action: str) -> None:
    """Presses the action form's button and checks the loop accepted it: back on the complaint with a success note."""
    form = one(driver, f"#action-{action} form")
    click_and_wait(driver, one(form, "button[type=submit]"))
    assert path_of(driver) == f"/complaints/{number}" and f"done={action}" in query_of(driver), (
        f"{action} on {number} was not accepted: {page_problems(driver)}")
    assert status(driver) == 200, page_problems(driver)
    assert one(driver, ".alert.success").is_displayed()


def timeline_text(driver: WebDriver) -> str:
    return "\n".join(texts(driver, "#timeline ol.timeline li"))


# --- Posting forms directly -----------------------------------------------------------------------------------

# Posts a form from inside the page, as the signed-in browser (its cookies), and returns status, language and text.
POST_FORM = """
const [path, fields, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
fetch(path, {method: "POST", credentials: "same-origin", redirect: "manual",
             headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: new URLSearchParams(fields)})
  .then(async r => {
    const text = await r.text();
    const doc = new DOMParser().parseFromString(text, "text/html");
    done({status: r.status, type: r.type, lang: doc.documentElement.getAttribute("lang"),
          body: doc.body ? doc.body.innerText : text});
  })
  .catch(e => done({status: -1, error: String(e)}));
"""


def post_form(driver, path: str, fields: dict) -> dict:
    return driver.execute_async_script(POST_FORM, path, fields)


def csrf_token(driver) -> str:
    """The CSRF token of the signed-in browser, from the header's language form (every page has one)."""
    return one(driver, "form[action='/language'] input[name=_csrf]").get_attribute("value")


# --- Screenshots ---------------------------------------------------------------------------------------------------


def screenshot(driver: WebDriver, name: str, *, max_height: int = 2600) -> Path:
    """A PNG of the whole page (up to `max_height` CSS pixels tall) in the artifacts folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight];")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": min(height, max_height), "scale": 1}})
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def make_png(path: Path, rgb: tuple[int, int, int] = (220, 38, 38), size: int = 48) -> Path:
    """A small real PNG (a coloured square with a white cross), written without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows += bytes((255, 255, 255)) if abs(x - y) < 3 or abs(x + y - size) < 3 else bytes(rgb)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows)))
                     + chunk(b"IEND", b""))
    return path


def unique_phone() -> str:
    return f"137{uuid.uuid4().int % 10**8:08d}"


# --- The API, for setting up data -------------------------------------------------------------------------------


class Api:
    """The JSON API as the demo users; used only to prepare complaints a test does not want to click through."""

    def __init__(self, base: str):
        self.base = base.rstrip("/") + "/api/v1"
        self.tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self.tokens:
            response = requests.post(
                f"{self.base}/auth/tokens", json={"username": username, "password": PASSWORD}, timeout=30)
            assert response.status_code in (200, 201), response.text
            self.tokens[username] = response.json()["token"]
        return self.tokens[username]

    def call(self, method: str, path: str, who: str, body: dict | None = None, expect: int = 200) -> dict:
        headers = {"Authorization": f"Bearer {self.token(who)}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = requests.request(
            method, self.base + path, headers=headers, data=None if body is None else json.dumps(body).encode(),
            timeout=30)
        assert response.status_code == expect, f"{method} {path} as {who}: {response.status_code} {response.text[:800]}"
        return response.json()

    def new_complaint(self, who: str = "zhangwei", **fields) -> dict:
        body = {
            "channel": "phone",
            "customer": {"name": fields.pop("customer_name", "浏览器测试客户"),
                         "phone": fields.pop("phone", unique_phone())},
            "subject": fields.pop("subject", "浏览器测试：洗衣机不脱水"),
            "description": "洗衣机买了两周，脱水时报错 E21，已断电重启无效。",
            "remedies": ["repair"],
        }
        body.update(fields)
        return self.call("POST", "/complaints", who, body, expect=201)

    def act(self, complaint: dict, action: str, who: str, **fields) -> dict:
        return self.call("POST", f"/complaints/{complaint['id']}/{action}", who,
                         {"version": complaint["version"], **fields})

    def investigating(self, **fields) -> dict:
        """A new complaint in after_sales under investigation: owner zhangwei, handler wangfang."""
        c = self.new_complaint(**fields)
        c = self.act(c, "check-completeness", "zhangwei", complete=True)
        c = self.act(c, "decide-validity", "zhangwei", valid=True)
        c = self.act(c, "assign", "liqiang", category="after_sales", priority="P2", severity="dissatisfied",
                     department="after_sales", owner="zhangwei", handler="wangfang")
        assert c["state"] == "investigating", c["state"]
        return c
