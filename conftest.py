"""Shared test plumbing: service detection (skip locally, FAIL under REQUIRE_SERVICES=1)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; Django must allow sync DB access there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_skipped_service_tests: list[str] = []


def require_service(name: str, available: bool, reason: str) -> None:
    """Skip when a service is missing, unless CI demands every service test runs."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}:
        pytest.fail(f"{name} is required (REQUIRE_SERVICES=1) but unavailable: {reason}", pytrace=False)
    pytest.skip(f"{name} unavailable: {reason}")


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped_service_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # Belt and braces: under REQUIRE_SERVICES no test may be skipped for any reason.
    if os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"} and _skipped_service_tests:
        print("\nREQUIRE_SERVICES=1 but these tests were skipped:", *_skipped_service_tests, sep="\n  ")
        session.exitstatus = 1


@pytest.fixture
def tree(db):
    """Two streets, each with two communities of two grids: enough to cross every boundary."""
    from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory

    street_a = StreetFactory(name="甲街道")
    street_b = StreetFactory(district=street_a.district, name="乙街道")
    areas = {"district": street_a.district, "street_a": street_a, "street_b": street_b}
    for street_key, street in (("a", street_a), ("b", street_b)):
        for c in (1, 2):
            community = CommunityFactory(street=street, name=f"{street_key}{c}社区")
            areas[f"community_{street_key}{c}"] = community
            for g in (1, 2):
                areas[f"grid_{street_key}{c}{g}"] = GridFactory(community=community, name=f"{street_key}{c}-{g}网格")
    return areas


@pytest.fixture
def postgres(db):
    from django.db import connection

    require_service("PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL is not a PostgreSQL URL")
    return connection


@pytest.fixture(scope="session")
def redis_url():
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        require_service("Redis", False, "REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        require_service("Redis", False, f"cannot reach {url}: {error}")
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_celery_worker(redis_url: str, log_path: Path, queues: tuple[str, ...] = ()) -> subprocess.Popen:
    """A real `celery worker` subprocess on the test database, through Redis: serving `queues`
    (all of settings.CELERY_QUEUE_NAMES when none are given), answering pings before it returns."""
    from django.db import connection

    require_service("PostgreSQL", connection.vendor == "postgresql", "a worker needs a shared database")
    settings_dict = connection.settings_dict
    database_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    env.pop("DATABASE_REPLICA_URLS", None)  # the replica holds the real database, not the test one
    name = "-".join(queues) or "all"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
        "--without-mingle", "--loglevel=INFO", f"--hostname={name}{os.getpid()}@%h",
    ]  # fmt: skip
    if queues:
        command.append(f"--queues={','.join(queues)}")
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).parent)
    from config.celery import app

    app.conf.task_always_eager = False
    deadline = time.monotonic() + 30
    hostname = f"{name}{os.getpid()}@"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"celery worker exited early:\n{log_path.read_text()}")
        if any(hostname in reply_name for reply in app.control.ping(timeout=0.5) for reply_name in reply):
            break
    return process


def stop_celery_worker(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def celery_worker_process(transactional_db, redis_url, tmp_path):
    """A real `celery worker` subprocess serving every queue."""
    process = start_celery_worker(redis_url, tmp_path / "worker.log")
    yield process
    stop_celery_worker(process)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def chromium_page(request):
    """A Playwright page in the system Chromium (no browser downloads here)."""
    available = Path(CHROMIUM).exists() or shutil.which("chromium") is not None
    require_service("Chromium", available, f"{CHROMIUM} not found (apt-get install chromium)")
    return request.getfixturevalue("page")


@pytest.fixture(autouse=True)
def _second_factor_passed_unless_tested(request):
    """Logins in tests pass the second factor (TOTP) at once, as if the code had been typed, so
    tests about other things need not type codes. Tests of the second factor itself are marked
    `two_factor` and see the real flow."""
    if request.node.get_closest_marker("two_factor"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    from accounts.testing import verify_every_login

    user_logged_in.connect(verify_every_login, dispatch_uid="tests_verify_every_login")
    yield
    user_logged_in.disconnect(dispatch_uid="tests_verify_every_login")


@pytest.fixture(autouse=True)
def _fast_tests_and_eager_celery(settings):
    """Fast password hashing; tasks run eagerly unless a test asks for a real worker."""
    from django.core.cache import cache

    from config.celery import app

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The suite reads its own uncommitted rows: replicas only for the tests that ask for them.
    settings.READ_REPLICAS = False
    from django.db import connection

    cache.clear()  # cached lookups (visit policies) must not leak from one test to the next
    connection.user_facts_changed = False  # nor a pending role change (core.user_cache)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
