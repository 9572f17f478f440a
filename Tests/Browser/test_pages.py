"""Every key page in both languages, checked for what a person would trip over: the wrong language, a missing
translation (⟦key⟧), "nil" where a value should be, a missing heading, inputs without labels, images without alt
text, text too faint to read, and portal pages wider than a phone."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

import pytest

from support import (
    EN, MOBILE, ROOT, ZH, all_of, click_and_wait, fill, go, html_lang, one, page_problems, path_of, screenshot,
    status, unique_phone, use_language,
)

STRINGS = ROOT / "Sources/CloseloopServer/Web/Strings"
STYLESHEET = ROOT / "Sources/CloseloopServer/Web/Static/app.css"


@dataclass(frozen=True)
class Page:
    id: str
    who: str  # "visitor" (no staff session; a customer session for /portal/complaint), or a username
    path: str
    status: int = 200
    screenshot: str | None = None  # file name of the Chinese page's screenshot
    data: frozenset[str] = frozenset()  # texts that are data (codes), not UI strings, though a UI string is the same

    def __str__(self) -> str:
        return self.id


PAGES = [
    Page("login", "visitor", "/login"),
    Page("portal", "visitor", "/portal"),
    Page("portal-submit", "visitor", "/portal/submit"),
    Page("portal-track", "visitor", "/portal/track"),
    Page("portal-complaint", "visitor", "/portal/complaint"),
    Page("queue", "liqiang", "/queue?view=all", screenshot="queue"),
    Page("queue-approvals", "zhaolei", "/queue?view=approvals"),
    Page("search", "liqiang", "/search?q=13"),
    Page("bulk-assign", "liqiang", "/queue/assign?complaint={number}"),
    Page("complaint", "liqiang", "/complaints/{number}"),
    Page("complaint-not-found", "liqiang", "/complaints/000000000", status=404),
    Page("intake", "liqiang", "/intake"),
    Page("incidents", "liqiang", "/incidents"),
    Page("incident", "liqiang", "/incidents/{incident}"),
    Page("incident-new", "liqiang", "/incidents/new"),
    Page("admin-users", "admin", "/admin/users", screenshot="admin-users"),
    Page("admin-user", "admin", "/admin/users/zhangwei"),
    Page("admin-departments", "admin", "/admin/departments", data=frozenset({"logistics"})),  # department codes
    Page("admin-categories", "admin", "/admin/categories"),
    Page("admin-policy", "admin", "/admin/policy", screenshot="admin-policy"),
    Page("admin-calendar", "admin", "/admin/calendar"),
    Page("admin-authority", "admin", "/admin/authority"),
    Page("admin-templates", "admin", "/admin/templates"),
    Page("admin-alerts", "admin", "/admin/alerts"),
    Page("admin-notifications", "admin", "/admin/notifications"),
    Page("admin-delivery", "admin", "/admin/delivery"),
    Page("admin-outbox", "admin", "/admin/outbox"),
    Page("admin-audit", "admin", "/admin/audit"),
]
CASES = [pytest.param(lang, page, id=f"{lang}-{page.id}") for lang in (ZH, EN) for page in PAGES]


@pytest.fixture(scope="module")
def site(browsers, api):
    """A complaint with a proposal waiting for the customer, and a visitor's browser tracking it on the portal."""
    phone = unique_phone()
    c = api.investigating(phone=phone, subject="页面检查：冰箱不制冷")
    c = api.act(c, "submit-analysis", "wangfang", problemType="制冷故障", rootCause="hardware_fault", technical=True,
                findings="压缩机启动电容损坏")
    c = api.act(c, "propose-solution", "wangfang", types=["repair", "apology"],
                description="上门更换启动电容并致歉", compensation="100")
    assert c["state"] == "proposed", c["state"]
    incident = api.call("POST", "/incidents", "liqiang", {
        "title": "页面检查：同批冰箱不制冷", "cause": "压缩机启动电容批次问题", "category": "quality",
        "department": "after_sales", "owner": "zhangwei", "handler": "wangfang", "complaints": [c["number"]]},
        expect=201)["incident"]["number"]
    visitor = browsers.fresh()
    track(visitor, c["number"], phone)
    phone_browser = browsers.fresh(mobile=True)
    track(phone_browser, c["number"], phone)
    return {"number": c["number"], "incident": incident, "phone": phone, "visitor": visitor,
            "phone_browser": phone_browser}


def track(driver, number: str, phone: str) -> None:
    go(driver, "/portal/track")
    use_language(driver, ZH)
    fill(driver, "number", number)
    fill(driver, "phone", phone)
    click_and_wait(driver, one(driver, "main form[action='/portal/track'] button[type=submit]"))
    assert path_of(driver) == "/portal/complaint", page_problems(driver)


def show(browsers, site, page: Page, lang: str):
    """Opens `page` as its person in `lang` (switching with the header's button when needed)."""
    driver = site["visitor"] if page.who == "visitor" else browsers.signed_in(page.who)
    path = page.path.format(number=site["number"], incident=site["incident"])
    go(driver, path)
    if html_lang(driver) != lang:
        use_language(driver, lang)
        go(driver, path)
    assert status(driver) == page.status, page_problems(driver)
    assert html_lang(driver) == lang
    return driver


def ui_strings(lang: str) -> dict[str, str]:
    name = "zh-Hans.json" if lang == ZH else "en.json"
    return json.loads((STRINGS / name).read_text())


# Texts of the page's elements, each element's own text nodes only (not its children's).
OWN_TEXTS = """
const out = [];
for (const el of document.querySelectorAll('body *')) {
  if (['SCRIPT', 'STYLE'].includes(el.tagName)) continue;
  if (el.closest('[lang]') !== document.documentElement) continue;  // marked as another language on purpose
  const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.nodeValue).join('').trim();
  if (own) out.push([el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), own]);
  for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
    const v = el.getAttribute(a);
    if (v && v.trim()) out.push([el.tagName.toLowerCase() + '@' + a, v.trim()]);
  }
}
for (const o of document.querySelectorAll('option')) out.push(['option', o.textContent.trim()]);
return out;
"""


@pytest.mark.parametrize("lang,page", CASES)
def test_page_speaks_the_language(browsers, site, lang, page):
    driver = show(browsers, site, page, lang)
    source = driver.page_source
    assert "⟦" not in source, f"missing translation: {re.findall(r'⟦[^⟧]*⟧', source)[:10]}"
    # A Mustache tag left in the page; JSON a page shows as data (an audit entry's settings) may end in "}}".
    tags = re.findall(r"\{\{[#^/>&!]?\s*[A-Za-z_][\w.]*\s*\}\}", source)
    assert not tags, f"unrendered template tags: {tags[:5]}"
    h1 = all_of(driver, "h1")
    assert h1 and h1[0].is_displayed() and h1[0].text.strip(), "no visible heading"
    assert driver.title.strip(), "the page has no title"
    # The switch offers the other language, in that language.
    switch = one(driver, ".topbar form[action='/language'] button").text.strip()
    assert switch == ("English" if lang == ZH else "中文"), switch

    own = driver.execute_script(OWN_TEXTS)
    nil = [(where, text) for where, text in own if re.fullmatch(r"nil|null|None|undefined|Optional\(.*\)", text)
           or "Optional(" in text]
    assert not nil, f"values that were never filled in: {nil}"
    # A UI string of the other language shown as a whole element text is an untranslated string.
    mine, other = ui_strings(lang), ui_strings(EN if lang == ZH else ZH)
    # (Language names such as "English" / "中文" are written in their own language wherever they appear.)
    foreign = {v for k, v in other.items() if v != mine.get(k) and "{" not in v and len(v) > 1
               and not k.startswith("language_") and v not in ("English", "中文")} - page.data
    if lang == ZH:
        foreign = {v for v in foreign if re.search(r"[A-Za-z]{3}", v)}  # English words, not codes like P0
    untranslated = sorted({(where, text) for where, text in own if text in foreign})
    assert not untranslated, f"text left in the other language: {untranslated}"
    if lang == ZH and page.screenshot:
        screenshot(driver, page.screenshot)


# Every form control a person can reach and the name it gets from a label or ARIA.
UNLABELLED = """
const problems = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
  const labels = Array.from(el.labels || []).map(l => l.textContent.trim()).filter(Boolean);
  const aria = (el.getAttribute('aria-label') || '').trim();
  const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent.trim()).filter(Boolean);
  if (!labels.length && !aria && !by.length) {
    problems.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '[name=' + el.getAttribute('name') + ']');
  }
}
return problems;
"""

DUPLICATE_IDS = """
const seen = {}, dup = [];
for (const el of document.querySelectorAll('[id]')) { if (seen[el.id]) dup.push(el.id); seen[el.id] = true; }
return dup;
"""

NAMELESS_CONTROLS = """
return Array.from(document.querySelectorAll('a[href], button')).filter(el =>
  !(el.textContent.trim() || (el.getAttribute('aria-label') || '').trim() ||
    Array.from(el.querySelectorAll('img')).some(i => (i.getAttribute('alt') || '').trim()))
).map(el => el.outerHTML.slice(0, 120));
"""


@pytest.mark.parametrize("lang,page", CASES)
def test_page_basic_accessibility(browsers, site, lang, page):
    driver = show(browsers, site, page, lang)
    h1 = all_of(driver, "h1")
    assert len(h1) == 1, f"{len(h1)} h1 elements: {[h.text for h in h1]}"
    unlabelled = driver.execute_script(UNLABELLED)
    assert not unlabelled, f"inputs without a label: {unlabelled}"
    no_alt = [img.get_attribute("src") for img in all_of(driver, "img") if img.get_attribute("alt") is None]
    assert not no_alt, f"images without alt: {no_alt}"
    assert not driver.execute_script(DUPLICATE_IDS), f"duplicate ids: {driver.execute_script(DUPLICATE_IDS)}"
    nameless = driver.execute_script(NAMELESS_CONTROLS)
    assert not nameless, f"links or buttons without a name: {nameless}"
    main = all_of(driver, "main#main")
    assert len(main) == 1, "the skip link's target is missing"


MOBILE_PAGES = [p for p in PAGES if p.path.startswith("/portal")]


@pytest.mark.parametrize("page", MOBILE_PAGES, ids=str)
def test_portal_fits_a_phone(site, page):
    """Portal pages at 390 px wide: no sideways scrolling, and the main button is fully on screen."""
    phone = site["phone_browser"]  # tracking the site's complaint
    go(phone, page.path)
    assert status(phone) == 200, page_problems(phone)
    width, scroll_width = phone.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth];")
    assert width == MOBILE[0], f"the browser is {width} px wide, not {MOBILE[0]}"
    assert scroll_width <= width, f"{page.path} is {scroll_width} px wide on a {width} px phone"
    for button in all_of(phone, "main button[type=submit]"):
        left, right = phone.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", button)
        assert 0 <= left and right <= width, f"a button sticks out: {button.text} {left}..{right}"
    if page.path == "/portal/complaint":
        screenshot(phone, "portal-complaint-mobile")


def test_portal_error_page_fits_a_phone(site):
    phone = site["phone_browser"]
    go(phone, "/portal/track")
    fill(phone, "number", f"000{uuid.uuid4().int % 10**6:06d}")  # no such number (and a fresh one each run)
    fill(phone, "phone", "13800000000")
    click_and_wait(phone, one(phone, "main form[action='/portal/track'] button[type=submit]"))
    assert status(phone) == 404
    assert one(phone, ".alert.error").is_displayed()
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")


# --- Colour contrast of the stylesheet ----------------------------------------------------------------------------


def css_variables() -> dict[str, str]:
    css = STYLESHEET.read_text()
    root = re.search(r":root\s*\{([^}]*)\}", css)
    assert root, "no :root block in app.css"
    return {name: value.strip().lower() for name, value in re.findall(r"--([\w-]+)\s*:\s*([^;]+);", root.group(1))}


def luminance(colour: str) -> float:
    match = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", colour)
    assert match, f"not a hex colour: {colour}"
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# (text, background) pairs the stylesheet uses; names are :root variables, "#…" literal colours.
PAIRS = [
    ("text", "background"), ("text", "surface"), ("muted", "surface"), ("muted", "background"),
    ("primary-text", "primary"), ("primary", "surface"), ("primary", "background"),
    ("error", "error-background"), ("error", "surface"),
    ("warn-text", "warn-background"), ("success-text", "success-background"),
    ("#ffffff", "overdue"), ("overdue", "surface"), ("soon", "surface"),
    ("text", "#e5e7eb"), ("#f9fafb", "#111827"), ("#ffffff", "#b91c1c"), ("#ffffff", "#c2410c"),
    ("text", "#fffbeb"), ("muted", "#fffbeb"),
]


def test_stylesheet_colours_meet_wcag_aa():
    variables = css_variables()
    failures = []
    for text, background in PAIRS:
        fg = text if text.startswith("#") else variables[text]
        bg = background if background.startswith("#") else variables[background]
        ratio = contrast(fg, bg)
        if ratio < 4.5:
            failures.append(f"{text} ({fg}) on {background} ({bg}): {ratio:.2f}")
    assert not failures, "contrast below 4.5:1: " + "; ".join(failures)
    # The literal pairs must still be what the stylesheet says, or this test checks colours nobody uses.
    css = STYLESHEET.read_text().lower()
    for literal in ("#e5e7eb", "#111827", "#f9fafb", "#c2410c", "#fffbeb"):
        assert literal in css, f"{literal} is no longer in app.css; update PAIRS"
