"""Visit submit over HTTP against gunicorn, beside a do-nothing view on the same server; and the
gunicorn, session and client machinery the replica section (bench.replica_bench) shares."""

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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench.measure import Result, percentile
from grids.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4
# The do-nothing view and the submit take turns in short rounds (a second or so each), so that
# whatever else the machine is doing (other test runs share its two cores, and come and go within
# seconds) falls on both alike. The target holds in every one of RUNS runs, not only on average:
# each run is ROUNDS_PER_RUN rounds of each kind, 360 requests of each. A warm-up of each kind
# comes first, uncounted: each worker's first requests load code and caches, prepare the submit's
# statement on its database session and fetch the user's cached facts.
RUNS = 5
ROUNDS_PER_RUN = 6
REQUESTS_PER_ROUND = 15  # per client: 5 runs × 6 rounds × 15 × 4 clients = 1,800 requests of each kind
WARMUP_PER_CLIENT = 20

# (session, number of the client, number of the request) -> HTTP status
MakeRequest = Callable[["Session", int, int], int]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict | None = None, workers: int = 2) -> tuple[subprocess.Popen, int]:
    """gunicorn serving bench.urls on a free loopback port, with `env` added to this process's."""
    port = _free_port()
    server_env = {**os.environ, "ROOT_URLCONF": "bench.urls", "SECURE_COOKIES": "0", "DEBUG": "0", **(env or {})}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=server_env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=20)


class Session:
    """A logged-in browser-like session (cookies + CSRF header) on one keep-alive connection."""

    def __init__(self, port: int, username: str, totp_key: str | None = None):
        self.username = username
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.request("GET", "/accounts/login/")
        body = urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )
        status, _ = self.request("POST", "/accounts/login/", body, "application/x-www-form-urlencoded")
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed for {username}: {status}")
        if totp_key is not None:
            self._second_factor(totp_key)

    def _second_factor(self, totp_key: str) -> None:
        """Leaders and stations type their authenticator's code, as on the real page."""
        from django_otp.oath import TOTP

        code = TOTP(bytes.fromhex(totp_key)).token()
        body = urlencode({"token": f"{code:06d}", "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        status, _ = self.request("POST", "/accounts/2fa/verify/", body, "application/x-www-form-urlencoded")
        if status != 302:
            raise RuntimeError(f"second factor refused for {self.username}: {status}")

    def move_to(self, port: int) -> None:
        """The same session (its cookies) against another server: sessions live in the database."""
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

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


def drive(
    sessions: list[Session],
    make_request: MakeRequest,
    *,
    requests: int | None = None,
    until: Callable[[], bool] | None = None,
    counter: dict | None = None,
) -> tuple[list[float], float]:
    """Each session in its own thread sends `requests` requests one after the other (or until
    `until()` is true). Returns the milliseconds of each and the requests per second."""
    timings: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(session: Session, index: int):
        local = []
        n = counter.setdefault(index, 0) if counter is not None else 0
        while (requests is None or len(local) < requests) and (until is None or not until()):
            started = time.perf_counter()
            status = make_request(session, index, n)
            local.append((time.perf_counter() - started) * 1000)
            n += 1
            if status not in (200, 201):
                with lock:
                    failures.append(f"{session.username}: HTTP {status}")
                return
        if counter is not None:
            counter[index] = n
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


def submitter(workers: list[tuple[str, list[int]]]) -> MakeRequest:
    """Each client is a grid worker visiting the veterans of their own grid in turn."""

    def submit(session: Session, client: int, n: int) -> int:
        veteran_ids = workers[client][1]
        payload = {"client_id": str(uuid.uuid4()), "veteran": veteran_ids[n % len(veteran_ids)], "method": "home"}
        return session.request("POST", "/api/visits/", json.dumps(payload))[0]

    return submit


def noop(session: Session, _client: int, n: int) -> int:
    return session.request("POST", "/bench/noop", json.dumps({"n": n}))[0]


def bench_http_submit(workers: list[tuple[str, list[int]]]) -> list[Result]:
    """`workers`: (username, ids of veterans in their grid) for each client."""
    server, port = start_server()
    submit = submitter(workers)
    counter: dict[int, int] = {}  # each client's next veteran, across rounds
    try:
        # One account per client: a new login ends the same account's previous session.
        sessions = [Session(port, username) for username, _ids in workers]
        drive(sessions, noop, requests=WARMUP_PER_CLIENT)
        drive(sessions, submit, requests=WARMUP_PER_CLIENT, counter=counter)
        noop_timings, submit_timings, noop_seconds, submit_seconds, run_shares = [], [], 0.0, 0.0, []
        for _run in range(RUNS):
            run_noop_seconds, run_submit_seconds = 0.0, 0.0
            for _round in range(ROUNDS_PER_RUN):
                timings, noop_rate = drive(sessions, noop, requests=REQUESTS_PER_ROUND)
                noop_timings += timings
                run_noop_seconds += len(timings) / noop_rate
                timings, submit_rate = drive(sessions, submit, requests=REQUESTS_PER_ROUND, counter=counter)
                submit_timings += timings
                run_submit_seconds += len(timings) / submit_rate
            run_shares.append(round(run_noop_seconds / run_submit_seconds, 3))  # the same requests of each
            noop_seconds += run_noop_seconds
            submit_seconds += run_submit_seconds
    finally:
        stop_server(server)
    noop_rate = len(noop_timings) / noop_seconds
    submit_rate = len(submit_timings) / submit_seconds
    share = submit_rate / noop_rate
    return [
        Result(
            name=f"visit submit over HTTP (gunicorn 2 workers, {CLIENTS} clients)",
            p50_ms=round(statistics.median(submit_timings), 2),
            p95_ms=round(percentile(submit_timings, 0.95), 2),
            rate=round(submit_rate),
            rate_unit="req/s",
            target="≥ 50% of the minimal view's req/s in every run",
            met=min(run_shares) >= 0.5,
            extra={
                "share_of_minimal_view": round(share, 3),
                "share_by_run": run_shares,
                "method": f"{RUNS} runs of {ROUNDS_PER_RUN} alternating rounds of {REQUESTS_PER_ROUND} requests "
                f"per client, after {WARMUP_PER_CLIENT} uncounted",
                "cores": os.cpu_count(),
            },
        ),
        Result(
            name="minimal view over HTTP (same server, same session)",
            p50_ms=round(statistics.median(noop_timings), 2),
            p95_ms=round(percentile(noop_timings, 0.95), 2),
            rate=round(noop_rate),
            rate_unit="req/s",
        ),
    ]
