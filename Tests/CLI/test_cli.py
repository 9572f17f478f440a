"""The `closeloop` command-line tool as an operator uses it, on a fresh SQLite data directory.

Run by scripts/test.sh with CLOSELOOP_BINARY pointing at the built executable.
"""
import csv
import json
import io
import os
import sqlite3
import subprocess

import pytest

BINARY = os.environ.get("CLOSELOOP_BINARY", ".build/debug/closeloop")
COMMANDS = ["serve", "migrate", "user", "user add", "user list", "user set-roles", "user token", "department",
            "department add", "department list", "config",
            "config show", "config set", "import", "export", "verify-history", "backup",
            "notify", "notify add", "notify remove", "notify list", "notify test", "notify outbox", "notify deliver",
            "notify retry", "report", "report daily", "report period", "suggestions", "suggestions train",
            "suggestions acceptance", "incidents", "incidents list", "incidents show", "incidents bursts"]


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def run(data, *args, stdin=None, check=True):
    result = subprocess.run([BINARY, *args, "--data-dir", str(data)], input=stdin, capture_output=True, text=True,
                            timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"closeloop {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def database(data):
    return data / "closeloop.sqlite"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command):
    result = subprocess.run([BINARY, *command.split(), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "USAGE:" in result.stdout


def test_migrate_is_idempotent(data):
    first = run(data, "migrate").stdout
    assert "applied: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12" in first
    assert "up to date" in run(data, "migrate").stdout


def test_users_are_added_listed_and_given_roles(data):
    # A role's department must exist (a typo would leave the handler with an empty queue).
    refused = run(data, "user", "add", "zhaolei", "--name", "赵磊", "--role", "handler@after_sales", check=False)
    assert refused.returncode != 0 and "department" in refused.stderr
    run(data, "department", "add", "after_sales", "--name-zh", "售后服务部", "--name-en", "After-sales")
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent", "--password-stdin",
        stdin="a-long-password\n")
    generated = run(data, "user", "add", "zhaolei", "--name", "赵磊", "--role", "handler@after_sales").stdout
    assert "password: " in generated
    listing = run(data, "user", "list").stdout
    assert "lina\t李娜" in listing and "handler@after_sales" in listing
    run(data, "user", "set-roles", "lina", "--role", "supervisor", "--role", "agent")
    assert "supervisor agent" in run(data, "user", "list").stdout
    token = run(data, "user", "token", "lina", "--days", "7").stdout.strip()
    assert token.startswith("cl_")
    # Every change made with the tool is in the audit log the administration pages show.
    with sqlite3.connect(database(data)) as db:
        rows = db.execute("SELECT actor, action, subject FROM audit_log ORDER BY rowid").fetchall()
    assert [(action, subject) for _, action, subject in rows] == [
        ("department.save", "after_sales"), ("user.create", "lina"), ("user.create", "zhaolei"),
        ("user.update", "lina"), ("token.create", "lina")]
    assert all(actor.startswith("cli:") for actor, _, _ in rows)


def test_bad_user_input_is_refused_with_a_reason(data):
    weak = run(data, "user", "add", "lina", "--name", "李娜", "--password-stdin", stdin="short\n", check=False)
    assert weak.returncode != 0 and "at least 10" in weak.stderr
    bad_name = run(data, "user", "add", "Li Na", "--name", "李娜", check=False)
    assert bad_name.returncode != 0 and "username" in bad_name.stderr
    bad_role = run(data, "user", "add", "lina", "--name", "李娜", "--role", "emperor", check=False)
    assert bad_role.returncode != 0
    run(data, "user", "add", "lina", "--name", "李娜")
    taken = run(data, "user", "add", "lina", "--name", "李娜", check=False)
    assert taken.returncode != 0
    # A token that would be expired when printed is refused, and none is created.
    for days in ["0", "-3"]:
        expired = run(data, "user", "token", "lina", f"--days={days}", check=False)
        assert expired.returncode != 0 and "at least one day" in expired.stderr, expired.stderr
        assert "cl_" not in expired.stdout


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["channel", "customer_name", "customer_phone", "subject", "description", "priority",
                         "received_at"])
        writer.writerows(rows)


def test_import_then_export_round_trips_with_a_bom(data, tmp_path):
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent")
    source = tmp_path / "in.csv"
    write_csv(source, [
        ["phone", "王先生", "13800138000", "洗衣机噪音大，脱水时晃动", "第一行\n第二行, 带逗号", "P1",
         "2026-04-13T09:00:00+08:00"],
        ["letter", "Ms. Lin", "+86 139 0013 9000", "Refund not received", "Asked twice; \"urgent\"", "P2", ""],
    ])
    assert "imported 2, already imported 0" in run(data, "import", str(source), "--as-user", "lina").stdout
    assert "imported 0, already imported 2" in run(data, "import", str(source), "--as-user", "lina").stdout
    out = tmp_path / "out.csv"
    run(data, "export", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["subject"] for r in rows) == ["Refund not received", "洗衣机噪音大，脱水时晃动"]
    chinese = next(r for r in rows if r["customer_name"] == "王先生")
    assert chinese["description"] == "第一行\n第二行, 带逗号"
    assert chinese["customer_phone"] == "138****8000", "phones are masked unless asked for"
    full = tmp_path / "full.csv"
    run(data, "export", "-o", str(full), "--include-personal-data")
    assert "13800138000" in full.read_text(encoding="utf-8-sig")


def test_an_invalid_row_imports_nothing(data, tmp_path):
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent")
    source = tmp_path / "bad.csv"
    write_csv(source, [
        ["phone", "王先生", "13800138000", "正常的一行", "描述", "P1", ""],
        ["fax", "", "not-a-phone", "", "描述", "P9", "yesterday"],
    ])
    result = run(data, "import", str(source), "--as-user", "lina", check=False)
    assert result.returncode != 0
    assert "row 3" in result.stderr and "channel 'fax'" in result.stderr and "priority 'P9'" in result.stderr
    run(data, "export", "-o", str(tmp_path / "out.csv"))
    assert len(list(csv.reader(open(tmp_path / "out.csv", encoding="utf-8-sig")))) == 1, "only the header"


def test_an_sqlite_prefix_names_the_file(data, tmp_path):
    for spelling in ("sqlite:", "sqlite://"):
        target = tmp_path / f"{len(spelling)}.sqlite"
        assert "applied: 1," in run(data, "migrate", "--database", f"{spelling}{target}").stdout
        assert target.exists()
    assert not os.path.exists("sqlite:")


def test_migrate_vacuum_gives_free_pages_back(data, tmp_path):
    run(data, "migrate")
    with sqlite3.connect(database(data)) as connection:
        connection.execute("CREATE TABLE filler (x BLOB)")
        connection.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                           " INSERT INTO filler SELECT randomblob(4096) FROM n")
        connection.execute("DROP TABLE filler")
    before = database(data).stat().st_size
    output = run(data, "migrate", "--vacuum").stdout
    assert "up to date" in output and "vacuumed:" in output
    assert database(data).stat().st_size < before - 3_000_000
    assert "intact: 0 complaints, 0 events" in run(data, "verify-history").stdout


def test_verify_history_finds_a_tampered_event(data, tmp_path):
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent")
    source = tmp_path / "in.csv"
    write_csv(source, [["phone", "王先生", "13800138000", "噪音", "描述", "P1", ""]])
    run(data, "import", str(source), "--as-user", "lina")
    assert "intact: 1 complaints, 1 events" in run(data, "verify-history").stdout
    with sqlite3.connect(database(data)) as connection:
        connection.execute("DROP TRIGGER complaint_events_no_update")
        connection.execute("UPDATE complaint_events SET body = replace(body, '王先生', '张先生')")
    broken = run(data, "verify-history", check=False)
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout and "event 1" in broken.stdout


def test_verify_history_finds_an_edited_subject(data, tmp_path):
    # The received event leaves the customer's subject to the complaint's column, so that column is hashed too.
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent")
    source = tmp_path / "in.csv"
    write_csv(source, [["phone", "王先生", "13800138000", "噪音", "描述", "P1", ""]])
    run(data, "import", str(source), "--as-user", "lina")
    with sqlite3.connect(database(data)) as connection:
        connection.execute("UPDATE complaints SET subject = replace(subject, '噪音', '静音')")
    broken = run(data, "verify-history", check=False)
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout and "event 1" in broken.stdout


def test_backup_is_a_consistent_copy(data, tmp_path):
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent")
    target = tmp_path / "backup.sqlite"
    run(data, "backup", str(target))
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT username FROM users").fetchall() == [("lina",)]
    again = run(data, "backup", str(target), check=False)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_config_show_and_set(data, tmp_path):
    calendar = run(data, "config", "show", "calendar").stdout
    assert "春节" in calendar and "Asia/Shanghai" in calendar
    edited = tmp_path / "calendar.json"
    edited.write_text(calendar.replace('"2026-01-01" : "元旦"', '"2026-01-01" : "元旦", "2026-12-31" : "年终盘点"'),
                      encoding="utf-8")
    assert "calendar saved" in run(data, "config", "set", "calendar", str(edited)).stdout
    assert "年终盘点" in run(data, "config", "show", "calendar").stdout
    policy = run(data, "config", "show", "policy").stdout
    broken = tmp_path / "policy.json"
    broken.write_text(policy.replace('"reopenWindowDays" : 30', '"reopenWindowDays" : -1'), encoding="utf-8")
    refused = run(data, "config", "set", "policy", str(broken), check=False)
    assert refused.returncode != 0 and "reopen window" in refused.stderr


def test_departments_are_added_renamed_and_listed(data):
    run(data, "department", "add", "after_sales", "--name-zh", "售后部", "--name-en", "After-sales")
    run(data, "department", "add", "after_sales", "--name-zh", "售后服务部", "--name-en", "After-sales service")
    assert run(data, "department", "list").stdout == "after_sales\t售后服务部\tAfter-sales service\n"
    bad = run(data, "department", "add", "After Sales", "--name-zh", "售后", "--name-en", "x", check=False)
    assert bad.returncode != 0 and "id:" in bad.stderr


def test_notification_channels_are_added_listed_and_removed(data):
    run(data, "user", "add", "lina", "--name", "李娜", "--role", "agent", "--password-stdin", stdin="a-long-password\n")
    run(data, "department", "add", "after_sales", "--name-zh", "售后服务部", "--name-en", "After-sales")
    run(data, "notify", "add", "--user", "lina", "--channel", "email", "--address", "lina@example.com")
    run(data, "notify", "add", "--department", "after_sales", "--channel", "dingtalk",
        "--address", "https://oapi.dingtalk.com/robot/send?access_token=abc", "--secret", "SECabc")
    listing = run(data, "notify", "list").stdout
    assert "user lina\temail\tlina@example.com" in listing
    assert "department after_sales\tdingtalk\thttps://oapi.dingtalk.com/robot/send?access_token=abc\t(signed)" in listing
    refused = run(data, "notify", "add", "--user", "lina", "--channel", "email", "--address", "not-an-email",
                  check=False)
    assert refused.returncode != 0 and "not an email address" in refused.stderr
    both = run(data, "notify", "add", "--user", "lina", "--department", "after_sales", "--channel", "sms",
               "--address", "13800138000", check=False)
    assert both.returncode != 0 and "exactly one" in both.stderr
    run(data, "notify", "remove", "--user", "lina", "--channel", "email", "--address", "lina@example.com")
    assert "lina@example.com" not in run(data, "notify", "list").stdout


def test_alert_and_delivery_settings_show_and_set(data, tmp_path):
    alerts = json.loads(run(data, "config", "show", "alerts").stdout)
    assert alerts["warningAt"] == 0.75
    alerts["warningAt"] = 0.5
    path = tmp_path / "alerts.json"
    path.write_text(json.dumps(alerts))
    run(data, "config", "set", "alerts", str(path))
    assert json.loads(run(data, "config", "show", "alerts").stdout)["warningAt"] == 0.5
    alerts["warningAt"] = 2
    path.write_text(json.dumps(alerts))
    refused = run(data, "config", "set", "alerts", str(path), check=False)
    assert refused.returncode != 0 and "warning point" in (refused.stderr + refused.stdout)
    delivery = json.loads(run(data, "config", "show", "delivery").stdout)
    assert delivery["sendmailPath"] == "/usr/sbin/sendmail"


def test_daily_report_prints_the_figures(data):
    run(data, "migrate")
    chinese = run(data, "report", "daily", "--date", "2026-11-24").stdout
    assert "系统监控日报 2026-11-24" in chinese
    assert "当日受理：0" in chinese and "无异常" in chinese
    english = run(data, "report", "daily", "--date", "2026-11-24", "--language", "en").stdout
    assert "Daily monitoring report 2026-11-24" in english
    # No server ran that day to check its own health, and the report says so rather than that all was well.
    assert "系统健康：\n未记录系统健康检查（服务器未运行）。" in chinese
    assert "System health:\nNo health checks were recorded (no server was running)." in english
    refused = run(data, "report", "daily", "--date", "24/11/2026", check=False)
    assert refused.returncode != 0 and "--date" in refused.stderr


def test_period_statistics_as_text_csv_and_json(data):
    run(data, "migrate")
    text = run(data, "report", "period", "--month", "2026-10").stdout
    assert "投诉统计报表 2026-10" in text and "受理：0" in text
    csv_bytes = subprocess.run([BINARY, "report", "period", "--week", "2026-10-05", "--format", "csv",
                                "--data-dir", str(data)], capture_output=True, timeout=60, check=True).stdout
    assert csv_bytes.startswith("\ufeffsection,key,value\r\n".encode())
    figures = json.loads(run(data, "report", "period", "--from", "2026-01-01", "--to", "2026-07-01",
                             "--format", "json").stdout)
    assert figures["received"] == 0 and figures["title"] == "2026-01-01 – 2026-06-30"
    both = run(data, "report", "period", "--month", "2026-10", "--year", "2026", check=False)
    assert both.returncode != 0 and "one of" in both.stderr
    bad = run(data, "report", "period", "--month", "2026-13", check=False)
    assert bad.returncode != 0 and "--month" in bad.stderr


def test_suggestions_need_classified_complaints_and_count_what_was_kept(data):
    trained = run(data, "suggestions", "train", check=False)
    assert trained.returncode == 1 and "fewer than 20 classified complaints" in trained.stdout
    acceptance = run(data, "suggestions", "acceptance", "--days", "7").stdout
    assert "category: 0 of 0 kept (—)" in acceptance and "department: 0 of 0 kept (—)" in acceptance


def test_serve_reads_from_a_replica_of_postgresql_only(data):
    refused = run(data, "serve", "--read-database", "postgres://127.0.0.1:9/closeloop", check=False)
    assert refused.returncode != 0
    assert "--read-database needs a postgres:// URL, and the database it copies must be PostgreSQL too." in (
        refused.stderr + refused.stdout)
