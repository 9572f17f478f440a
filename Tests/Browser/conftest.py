"""Fixtures of the browser suite: one server per run, one Chromium per person.

scripts/browser-tests.sh starts `closeloop serve --demo` and sets
  CLOSELOOP_BROWSER_BASE_URL    http://127.0.0.1:PORT (the site, not /api/v1)
  CLOSELOOP_BROWSER_DATABASE    sqlite | postgres (names the screenshot folder)
  CLOSELOOP_BROWSER_ARTIFACTS   where screenshots go (default artifacts/screenshots/DATABASE)
  CLOSELOOP_BROWSER_DATA_DIR    the server's --data-dir
  CLOSELOOP_BROWSER_DATABASE_LOCATION   the server's --database (the SQLite file or the postgres:// URL)
  CLOSELOOP_BINARY              the binary serving it
(the last three for the tests that hand mail to the server's database with `closeloop mail receive`, as a
company's MTA does).
Without CLOSELOOP_BROWSER_BASE_URL the suite starts a server itself (SQLite in a temporary directory) from
CLOSELOOP_BINARY or .build/debug/closeloop, so `pytest Tests/Browser` works on its own too.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

import support
from support import ZH, Api, go, make_driver, sign_in, use_language


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


# The script's `timeout` stops a hung run with SIGTERM: turn it into an interrupt so that the session fixtures still
# quit every Chromium and chromedriver (and the server this suite may have started) instead of leaving them behind.
signal.signal(signal.SIGTERM, _interrupt)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        return requests.get(base + "/api/v1/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@dataclass(frozen=True)
class Server:
    """The running server: its site, and (when known) the binary, data directory and database it serves, which
    `closeloop mail receive` needs to take a message into the same database."""
    base: str
    binary: str | None
    data_dir: str | None
    database: str | None


def _binary() -> str:
    return os.environ.get("CLOSELOOP_BINARY") or str(support.ROOT / ".build/debug/closeloop")


@pytest.fixture(scope="session")
def server():
    """The server the script started, or one started here for the session."""
    if support.BASE:
        assert _healthy(support.BASE), f"no closeloop server answers at {support.BASE}"
        binary = _binary()
        yield Server(support.BASE, binary if os.access(binary, os.X_OK) else None,
                     os.environ.get("CLOSELOOP_BROWSER_DATA_DIR") or None,
                     os.environ.get("CLOSELOOP_BROWSER_DATABASE_LOCATION") or None)
        return
    binary = _binary()
    assert os.access(binary, os.X_OK), f"{binary} is not an executable; build it with swift build --product closeloop"
    data = Path(tempfile.mkdtemp(prefix="closeloop-browser-"))
    database = data / "closeloop.sqlite"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(data / "server.log", "w")
    process = subprocess.Popen(
        [binary, "serve", "--demo", "--data-dir", str(data), "--database", str(database),
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(base):
            assert process.poll() is None, (data / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer /api/v1/health within 60 s"
            time.sleep(0.2)
        support.BASE = base
        yield Server(base, binary, str(data), str(database))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(server) -> str:
    """The site's base URL (no /api/v1)."""
    return server.base


@pytest.fixture(scope="session")
def mail_pipe(server) -> list[str]:
    """The command a company's MTA pipes each message into, taking mail into the running server's database:
    `closeloop mail receive --data-dir DATA --database DATABASE` (skips when the suite runs against a server whose
    data directory and database it was not told)."""
    if not (server.binary and server.data_dir and server.database):
        pytest.skip("the server's binary, data directory and database are not known (set CLOSELOOP_BINARY, "
                    "CLOSELOOP_BROWSER_DATA_DIR and CLOSELOOP_BROWSER_DATABASE_LOCATION)")
    return [server.binary, "mail", "receive", "--data-dir", server.data_dir, "--database", server.database]


@pytest.fixture(scope="session")
def api(base_url) -> Api:
    return Api(base_url)


class Browsers:
    """One headless Chromium per person, started on first use and kept for the session (starting one costs ~1 s)."""

    def __init__(self):
        self._drivers = {}

    def signed_in(self, username: str):
        """The browser in which `username` is signed in, left on whatever page it shows."""
        key = ("staff", username)
        if key not in self._drivers:
            driver = make_driver()
            self._drivers[key] = driver
            sign_in(driver, username)
        return self._drivers[key]

    def staff(self, username: str, lang: str = ZH):
        """A browser in which `username` is signed in, showing their queue in `lang` (the language is the user's
        setting, so a test that switched it leaves no trace in the next one)."""
        driver = self.signed_in(username)
        go(driver, "/queue")
        use_language(driver, lang)
        return driver

    def customer(self, lang: str = ZH):
        """The customer's phone: a mobile-sized browser without any staff session, on the portal's home page."""
        key = ("customer",)
        if key not in self._drivers:
            self._drivers[key] = make_driver(mobile=True)
        driver = self._drivers[key]
        go(driver, "/portal")
        use_language(driver, lang)
        return driver

    def fresh(self, *, mobile: bool = False):
        """A new browser with no cookies at all, kept until the end of the session (for module fixtures; a test
        uses the `new_browser` fixture, whose browsers close when the test ends)."""
        driver = make_driver(mobile=mobile)
        self._drivers[("fresh", id(driver))] = driver
        return driver

    def close(self, driver):
        self._drivers.pop(("fresh", id(driver)), None)
        _quit(driver)

    def quit(self):
        for driver in self._drivers.values():
            _quit(driver)
        self._drivers.clear()


def _quit(driver):
    try:
        driver.quit()
    except Exception:  # noqa: BLE001 - a browser that already died must not hide the test result
        pass


@pytest.fixture(scope="session")
def browsers(base_url):
    pool = Browsers()
    yield pool
    pool.quit()


@pytest.fixture
def new_browser(browsers):
    """Makes browsers with no cookies at all (new_browser() or new_browser(mobile=True)); they close after the test."""
    made = []

    def make(*, mobile: bool = False):
        made.append(browsers.fresh(mobile=mobile))
        return made[-1]

    yield make
    for driver in made:
        browsers.close(driver)


@pytest.fixture(scope="session")
def png(tmp_path_factory) -> Path:
    """A small photo the customer and the handler upload."""
    return support.make_png(tmp_path_factory.mktemp("files") / "photo.png")
