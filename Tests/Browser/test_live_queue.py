"""The live queue: an open queue shows what other people change, without anyone reloading the page."""

from __future__ import annotations

import json
import uuid

from support import (
    all_of, choose, go, one, open_action, open_complaint, state_code, submit_action, texts, wait,
)

REFRESH_TIMEOUT = 15  # the server looks for changes every 2 s; the rest is slack for a busy CI machine


def wait_until_live(driver) -> None:
    """Waits until the page's event stream (/live/queue?since=…) is connected: the server has sent its first bytes.
    (Changes made before that are announced too, since the page tells the stream when its rows were read; waiting
    keeps this test about the steady state rather than the connection.)"""
    stream: set[str] = set()

    def connected(d) -> bool:
        for entry in d.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent" and params.get("type") == "EventSource" \
                    and "/live/queue" in params["request"]["url"]:
                stream.add(params["requestId"])
            elif message["method"] == "Network.dataReceived" and params.get("requestId") in stream \
                    and params.get("dataLength", 0) > 0:
                return True
        return False

    wait(driver, REFRESH_TIMEOUT).until(connected, "the queue page's event stream did not connect")


def row_state(driver, number: str) -> str | None:
    """The state shown in the queue row of `number` (None when there is no such row). One script, so the live
    refresh cannot replace the rows between finding the row and reading it."""
    return driver.execute_script(
        """const link = document.querySelector(`#queue-rows a[href='/complaints/${arguments[0]}']`);
           const badge = link && link.closest('tr').querySelector(".badge[class*='state-']");
           return badge ? badge.textContent.trim() : null;""", number)


def test_queue_rows_refresh_when_someone_else_changes_a_complaint(browsers, api):
    token = "live" + uuid.uuid4().hex[:10]
    watcher = browsers.staff("liqiang")
    watcher.get_log("performance")  # forget the network events of earlier pages
    go(watcher, f"/queue?view=all&q={token}")
    assert one(watcher, "#queue-rows .empty").is_displayed(), texts(watcher, "#queue-rows")
    assert one(watcher, "#queue-rows").get_attribute("data-refreshed") is None
    wait_until_live(watcher)
    watcher.execute_script("window.__closeloopSamePage = true;")

    # Someone else records a complaint (through the API, as an intake system would).
    complaint = api.new_complaint(subject=f"实时刷新测试 {token}")
    number = complaint["number"]
    wait(watcher, REFRESH_TIMEOUT).until(
        lambda d: row_state(d, number) is not None, f"{number} did not appear in the open queue")
    rows = one(watcher, "#queue-rows")
    assert rows.get_attribute("data-refreshed"), "the rows changed without the live refresh"
    assert row_state(watcher, number) == "已受理"
    assert one(watcher, "[data-live-note]").is_displayed(), "the page does not say it was updated"
    assert watcher.execute_script("return window.__closeloopSamePage === true;"), "the page was reloaded"
    first_refresh = rows.get_attribute("data-refreshed")

    # A colleague works on it in their own browser; the watcher's row follows.
    agent = browsers.staff("zhangwei")
    open_complaint(agent, number)
    open_action(agent, "check_completeness")
    choose(agent, "f-check_completeness-complete-0")
    submit_action(agent, number, "check_completeness")
    open_action(agent, "decide_validity")
    choose(agent, "f-decide_validity-valid-0")
    submit_action(agent, number, "decide_validity")
    assert state_code(agent) == "validated"

    wait(watcher, REFRESH_TIMEOUT).until(
        lambda d: row_state(d, number) == "待分派",
        f"the open queue still shows {row_state(watcher, number)!r} for {number}")
    assert one(watcher, "#queue-rows").get_attribute("data-refreshed") != first_refresh
    assert watcher.execute_script("return window.__closeloopSamePage === true;"), "the page was reloaded"
    assert len(all_of(watcher, "#queue-rows tbody tr")) == 1
