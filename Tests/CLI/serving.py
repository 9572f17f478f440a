"""What the command-line tests that need a running server share: the tool run against a data directory, and
`closeloop serve` started on a free port and waited for until it answers."""
import os
import socket
import subprocess
import time

import requests

BINARY = os.environ.get("CLOSELOOP_BINARY", ".build/debug/closeloop")
PASSWORD = "a-long-password-for-cli"


def run(data, *args, stdin=None, check=True):
    result = subprocess.run([BINARY, *args, "--data-dir", str(data)], input=stdin, capture_output=True, text=True,
                            timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"closeloop {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data, *extra, log=None):
    """`closeloop serve` on `data` with `extra` arguments, once `/api/v1/health` answers: (process, base URL). Its
    output goes to the file `log` when given."""
    port = free_port()
    output = open(log, "wb") if log else subprocess.DEVNULL
    try:
        process = subprocess.Popen([BINARY, "serve", "--data-dir", str(data), "--port", str(port), *extra],
                                   stdout=output, stderr=output)
    finally:
        if log:
            output.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if requests.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        assert time.time() < deadline and process.poll() is None, "the server did not start"
        time.sleep(0.3)


def stop(process):
    """Stops a server `start_server` started, killing it if SIGTERM does not within a minute."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
