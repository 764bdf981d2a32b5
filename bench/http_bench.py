"""Visit submit over HTTP against gunicorn, beside a do-nothing view on the same server."""

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench.measure import Result, percentile
from grids.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4
REQUESTS_PER_CLIENT = 250  # long enough that a second of noise does not decide


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """A logged-in browser-like session (cookies + CSRF header) on one keep-alive connection."""

    def __init__(self, port: int, username: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.request("GET", "/accounts/login/")
        body = urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )
        status, _ = self.request("POST", "/accounts/login/", body, "application/x-www-form-urlencoded")
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed for {username}: {status}")

    def request(self, method: str, path: str, body: str | None = None, content_type: str = "application/json"):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": "http://127.0.0.1/"}
        if body is not None:
            headers["Content-Type"] = content_type
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"([^=]+)=([^;]*)", header)
            if match:
                self.cookies[match.group(1)] = match.group(2)
        return response.status, data


def _run(port: int, usernames: list[str], make_request) -> tuple[list[float], float]:
    # One account per client: a new login ends the same account's previous session.
    sessions = [Session(port, username) for username in usernames]
    timings: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(session: Session, index: int):
        local = []
        for n in range(REQUESTS_PER_CLIENT):
            started = time.perf_counter()
            status = make_request(session, index * REQUESTS_PER_CLIENT + n)
            local.append((time.perf_counter() - started) * 1000)
            if status not in (200, 201):
                with lock:
                    failures.append(f"HTTP {status}")
                return
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=client, args=(s, i)) for i, s in enumerate(sessions)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:  # a failed request is a finding, never a faster number
        raise RuntimeError(f"{len(failures)} clients failed: {failures[:3]}")
    return timings, len(timings) / (time.perf_counter() - started)


def bench_http_submit(workers: list[tuple[str, list[int]]]) -> list[Result]:
    """`workers`: (username, ids of veterans in their grid) for each client."""
    usernames = [username for username, _ids in workers]
    port = _free_port()
    env = {**os.environ, "ROOT_URLCONF": "bench.urls", "SECURE_COOKIES": "0", "DEBUG": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "error"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        def submit(session: Session, n: int) -> int:
            # Each client is a grid worker visiting the veterans of their own grid.
            client, step = divmod(n, REQUESTS_PER_CLIENT)
            veteran_ids = workers[client][1]
            payload = {
                "client_id": str(uuid.uuid4()),
                "veteran": veteran_ids[step % len(veteran_ids)],
                "method": "home",
            }
            return session.request("POST", "/api/visits/", json.dumps(payload))[0]

        def noop(session: Session, n: int) -> int:
            return session.request("POST", "/bench/noop", json.dumps({"n": n}))[0]

        noop_timings, noop_rate = _run(port, usernames, noop)
        submit_timings, submit_rate = _run(port, usernames, submit)
    finally:
        server.terminate()
        server.wait(timeout=20)
    share = submit_rate / noop_rate
    return [
        Result(
            name=f"visit submit over HTTP (gunicorn 2 workers, {CLIENTS} clients)",
            p50_ms=round(statistics.median(submit_timings), 2),
            p95_ms=round(percentile(submit_timings, 0.95), 2),
            rate=round(submit_rate),
            rate_unit="req/s",
            target="≥ 50% of the minimal view's req/s",
            met=share >= 0.5,
            extra={"share_of_minimal_view": round(share, 3)},
        ),
        Result(
            name="minimal view over HTTP (same server, same session)",
            p50_ms=round(statistics.median(noop_timings), 2),
            p95_ms=round(percentile(noop_timings, 0.95), 2),
            rate=round(noop_rate),
            rate_unit="req/s",
        ),
    ]
