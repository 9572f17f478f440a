"""Management's figures: the general manager lands on the company dashboard, follows a chart's bar to exactly the
complaints it counts, and reads the league table; a department manager sees only their department."""

from __future__ import annotations

import csv
import subprocess
import uuid

import requests

from support import all_of, click_and_wait, go, make_driver, one, path_of, query_of, screenshot, sign_in, status, texts


def listed_numbers(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tbody tr td:first-child a'))"
        ".map(a => a.textContent.trim());")


def test_management_lands_on_the_dashboard_and_drills_down(api):
    # Two complaints received by email today, so the email bar of this month's channel chart holds at least these.
    token = "dash" + uuid.uuid4().hex[:8]
    emailed = [api.new_complaint(subject=f"看板 {token} {n}", channel="email")["number"] for n in range(2)]

    driver = make_driver()
    try:
        sign_in(driver, "liuyang")
        assert path_of(driver) == "/dashboard"
        assert one(driver, "h1").text.startswith("全公司投诉统计")
        kpis = {one(card, ".kpi-label").text: one(card, ".kpi-value").text for card in all_of(driver, ".kpi")}
        received = int(kpis["受理量"])
        assert received >= 2, kpis
        screenshot(driver, "dashboard")

        # The email bar of "按渠道" leads to the queue narrowed to this month's emailed complaints.
        [channels] = [f for f in all_of(driver, "figure.chart") if one(f, "figcaption").text == "按渠道"]
        [email_bar] = [a for a in all_of(channels, "a") if "channel=email" in (a.get_dom_attribute("href") or "")]
        bar_count = int(one(email_bar, "text.bar-value").text)
        go(driver, email_bar.get_dom_attribute("href"))
        assert status(driver) == 200
        assert "channel=email" in query_of(driver)
        assert "统计筛选" in " ".join(texts(driver, ".drill-down"))
        numbers = listed_numbers(driver)
        assert set(emailed) <= set(numbers), numbers
        assert len(numbers) == min(bar_count, 50), (bar_count, numbers)

        # The received figure lists as many complaints as it says (up to a page).
        go(driver, "/dashboard")
        click_and_wait(driver, one(driver, ".kpi .kpi-value a"))
        assert len(listed_numbers(driver)) == min(received, 50)

        # The league table ranks departments; switching to owners keeps the period.
        go(driver, "/league")
        assert one(driver, "h1").text.startswith("部门排名")
        assert all_of(driver, "table.league tbody tr")
        owners = [a for a in all_of(driver, "nav.tabs a") if a.text == "按责任人"]
        click_and_wait(driver, owners[0])
        assert one(driver, "h1").text.startswith("责任人排名")
        assert "by=owner" in query_of(driver)
    finally:
        driver.quit()


def test_a_department_manager_sees_only_their_department():
    driver = make_driver()
    try:
        sign_in(driver, "zhaolei")
        assert path_of(driver) == "/dashboard"
        assert "售后服务部" in one(driver, "h1").text
        options = [o.get_attribute("value") for o in all_of(driver, "#scope option")]
        assert options == ["after_sales"], options
        go(driver, "/dashboard?department=logistics")
        assert status(driver) == 403
    finally:
        driver.quit()


def test_the_league_table_downloads_as_a_workbook_a_spreadsheet_opens(tmp_path):
    """The Excel link gives a real workbook: LibreOffice opens it, and its cells are the page's figures, typed."""
    driver = make_driver()
    try:
        sign_in(driver, "sunli")
        go(driver, "/league?period=quarter&by=department&rank=volume")
        first = all_of(driver, "table.league tbody tr")[0]
        name = one(first, "th").text
        received = one(first, "td:nth-child(3)").text
        [excel] = [a for a in all_of(driver, ".exports a") if a.text == "Excel"]
        cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
        answer = requests.get(excel.get_attribute("href"), cookies=cookies, timeout=30)
        assert answer.status_code == 200, answer.text[:200]
        assert answer.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert "filename*=UTF-8''league-department-" in answer.headers["content-disposition"]
        workbook = tmp_path / "league.xlsx"
        workbook.write_bytes(answer.content)
        # Headless LibreOffice, with a profile of its own, converts the first sheet to UTF-8 CSV.
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
             "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path), str(workbook)],
            check=True, timeout=180, capture_output=True)
        with open(tmp_path / "league.csv", encoding="utf-8") as file:
            rows = list(csv.reader(file))
        assert rows[0][:3] == ["名次", "责任部门", "受理量"], rows[0]
        assert rows[1][0] == "1" and rows[1][1] == name, rows[1]
        assert rows[1][2] == received, (rows[1], received)
        # A rate is a percentage cell, shown as one.
        assert rows[1][4].endswith("%"), rows[1]
    finally:
        driver.quit()


def test_each_clock_against_target_lists_its_complaints():
    driver = make_driver()
    try:
        sign_in(driver, "liuyang")
        go(driver, "/dashboard?period=quarter")
        assert status(driver) == 200
        # Both distributions against target are drawn, their late bars apart from the rest.
        captions = [one(f, "figcaption").text for f in all_of(driver, "figure.chart")]
        assert "首次响应用时占时限" in captions and "解决用时占时限" in captions, captions
        assert all_of(driver, "svg rect.column.late")
        # Each clock's missed count lists exactly that many complaints (up to a page).
        rows = all_of(driver, "table.clocks tbody tr")
        assert len(rows) >= 4, texts(driver, "table.clocks tbody tr")
        missed = [(one(r, "th").text, one(r, "td:nth-of-type(3) a")) for r in rows]
        clock, link = next((name, a) for name, a in missed if int(a.text) > 0)
        count = int(link.text)
        click_and_wait(driver, link)
        assert "clock_outcome=missed" in query_of(driver)
        assert clock in " ".join(texts(driver, ".drill-down")), texts(driver, ".drill-down")
        assert len(listed_numbers(driver)) == min(count, 50), (clock, count)
    finally:
        driver.quit()
