"""`closeloop incidents` as an operator uses it: the incidents opened on a running server, listed and shown from the
command line beside it, and the bursts the server reported.

Run by scripts/test.sh with CLOSELOOP_BINARY pointing at the built executable.
"""
import pytest
import requests

from serving import PASSWORD, run, start_server, stop


@pytest.fixture
def server(tmp_path):
    """A server on a fresh data directory with one supervisor and one agent; stopped after the test."""
    data = tmp_path / "data"
    run(data, "department", "add", "after_sales", "--name-zh", "售后服务部", "--name-en", "After-sales")
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "supervisor", "--role", "agent", "--password-stdin",
        stdin=PASSWORD + "\n")
    process, root = start_server(data)
    base = root + "/api/v1"
    token = requests.post(base + "/auth/tokens", json={"username": "lina", "password": PASSWORD},
                          timeout=30).json()["token"]
    try:
        yield data, base, {"Authorization": f"Bearer {token}"}
    finally:
        stop(process)


def test_incidents_opened_on_the_server_are_listed_and_shown(server):
    data, base, auth = server
    assert run(data, "incidents", "list").stdout.strip() == "no open incidents"
    numbers = []
    for name, phone in [("周女士", "13800000001"), ("吴先生", "13800000002")]:
        complaint = requests.post(base + "/complaints", headers=auth, timeout=30, json={
            "channel": "phone", "customer": {"name": name, "phone": phone}, "subject": "空调不制冷",
            "description": "同一批次空调开机不制冷", "remedies": ["repair"]}).json()
        numbers.append(complaint["number"])
    opened = requests.post(base + "/incidents", headers=auth, timeout=30, json={
        "title": "KF-35 批次空调不制冷", "cause": "压缩机批次缺陷", "complaints": numbers})
    assert opened.status_code == 201, opened.text
    number = opened.json()["incident"]["number"]

    listing = run(data, "incidents", "list").stdout
    assert listing.startswith(f"{number}\topen\tmajor\t2/2\t") and "KF-35 批次空调不制冷" in listing
    shown = run(data, "incidents", "show", number).stdout
    assert "cause: 压缩机批次缺陷" in shown and "complaints: 2, open: 2" in shown
    assert all(f"  {n}\treceived\t空调不制冷" in shown for n in numbers), shown
    missing = run(data, "incidents", "show", "INC-1999-0001", check=False)
    assert missing.returncode == 1 and "no incident INC-1999-0001" in missing.stderr
    assert run(data, "incidents", "bursts").stdout.strip() == "no bursts in the last 7 days"
