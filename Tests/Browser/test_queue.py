"""The queues: full-text search and filters narrow the list, and a filter can be kept under a name and used again."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs

from selenium.webdriver.common.by import By

from support import all_of, click_and_wait, fill, follow_queue_link, go, one, path_of, query_of, status, texts


def numbers_listed(driver) -> list[str]:
    # One script: the live refresh may replace the rows at any moment.
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tbody tr td:first-child a'))"
        ".map(a => a.textContent.trim());")


def test_search_filter_and_saved_filter(browsers, api):
    token = "flt" + uuid.uuid4().hex[:10]
    urgent = api.new_complaint(subject=f"筛选测试 {token} 紧急", priority="P1")["number"]
    normal = api.new_complaint(subject=f"筛选测试 {token} 普通", priority="P2")["number"]

    supervisor = browsers.staff("liqiang")
    go(supervisor, "/queue?view=all")
    fill(supervisor, "q", token)
    click_and_wait(supervisor, one(supervisor, "form[role=search] button[type=submit]"))
    assert status(supervisor) == 200
    assert sorted(numbers_listed(supervisor)) == sorted([urgent, normal]), texts(supervisor, "#queue-rows")
    assert supervisor.find_element(By.ID, "q").get_attribute("value") == token, "the search words were not kept"

    [p1] = [b for b in all_of(supervisor, "input[name=priority]") if b.get_attribute("value") == "P1"]
    p1.click()
    click_and_wait(supervisor, one(supervisor, "form[role=search] button[type=submit]"))
    assert numbers_listed(supervisor) == [urgent]
    filtered_query = query_of(supervisor)

    # Keep it under a name; it is listed, and following it later shows the same list.
    name = f"紧急 {token}"
    fill(supervisor, "filter-name", name)
    click_and_wait(supervisor, one(supervisor, "section.saved form[action='/queue/filters'] button[type=submit]"))
    assert numbers_listed(supervisor) == [urgent], "saving the filter lost the list"
    go(supervisor, "/queue")
    saved = [a for a in all_of(supervisor, "section.saved li a") if a.text.strip() == name]
    assert saved, f"the saved filter is not listed: {texts(supervisor, 'section.saved li')}"
    click_and_wait(supervisor, saved[0])
    assert path_of(supervisor) == "/queue"
    assert numbers_listed(supervisor) == [urgent], query_of(supervisor)
    assert parse_qs(query_of(supervisor)) == parse_qs(filtered_query)
    assert supervisor.find_element(By.ID, "q").get_attribute("value") == token

    # And it can be deleted again.
    [delete] = [b for b in all_of(supervisor, "section.saved li") if name in b.text]
    click_and_wait(supervisor, one(delete, "button"))
    assert name not in " ".join(texts(supervisor, "section.saved li"))


def test_complaint_number_links_open_the_complaint(browsers, api):
    token = "lnk" + uuid.uuid4().hex[:10]
    number = api.new_complaint(subject=f"链接测试 {token}")["number"]
    agent = browsers.staff("zhangwei")
    go(agent, f"/queue?view=all&q={token}")
    follow_queue_link(agent, number)
    assert path_of(agent) == f"/complaints/{number}" and status(agent) == 200
    assert one(agent, ".complaint-head .number").text.strip() == number
