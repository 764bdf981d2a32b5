"""The replica section (`--sections replica`): does a streaming replica keep leaders' reading off
the grid workers' submits?

A streaming replica of the bench's PostgreSQL runs on loopback (scripts/services.sh with
VG_REPLICA=1: pg_basebackup the first time, the same copy started again later while it still
streams). Grid workers submit visits over HTTP (bench.http_bench: gunicorn, logged-in sessions)
while leaders read on a second gunicorn: the dashboard, the statistics API and the visits ledger
(the admin's list, the query its export runs), one after the other with no pause. Twice: with no
replica configured (every read on the primary) and with DATABASE_REPLICA_URLS and READ_REPLICAS
(the router sends those reads to the replica). Each way the submits' rate is taken without and
with the reads, in phases that alternate between the two ways. The target: with the replica, submits under the load keep
≥ 90 % of their rate without it.

A replica helps when it is another host. The bench emulates two hosts on this machine by pinning
processes to cores (bench.pinning): the primary, the submits' gunicorn and the submitting clients
on one half of the cores; the replica, the leaders' gunicorn and the reading clients on the other.
The reading clients are a process of their own, as another host's browsers: as threads of this
one they held the interpreter lock the submitting clients waited for. Reads on the primary then
take the submits' cores, reads on the replica do not. With BENCH_REPLICA_PINNING=0 (or one core)
everything shares every core, and the load competes with the submits for CPU whichever database
it reads.
"""

import contextlib
import multiprocessing
import os
import re
import statistics
import subprocess
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench import pinning
from bench.http_bench import (
    ROOT,
    WARMUP_PER_CLIENT,
    Session,
    drive,
    start_server,
    stop_server,
    submitter,
)
from bench.measure import Result, percentile

_FORK = multiprocessing.get_context("fork")
PHASE_SECONDS = 10
SETTLE_SECONDS = 3
ROUNDS = 3  # of each way: submits alone, then with the reads; on the primary, then on the replica
SUBMIT_CLIENTS = 4
# The leaders: a city's and a district's (one of each, as a bureau has), each reading in a loop.
READERS = ("city_leader", "center_staff")
TARGET_SHARE = 0.9
PIN = os.environ.get("BENCH_REPLICA_PINNING", "1") != "0"
HOSTS = (
    "two hosts emulated by pinned cores: the primary, the submits' gunicorn and clients on one half; "
    "the replica, the leaders' gunicorn and clients on the other"
)


def _replica_url() -> str:
    """The replica's URL: the environment's, or one started the way scripts/services.sh does for
    `make bench` (its state folder and env file)."""
    url = os.environ.get("DATABASE_REPLICA_URLS", "").split(",")[0].strip()
    if url:
        return url
    if not os.environ.get("VG_STATE_DIR"):
        raise RuntimeError("the replica section needs DATABASE_REPLICA_URLS, or VG_STATE_DIR as `make bench` sets it")
    env = {
        **os.environ,
        "VG_REPLICA": "1",
        "VG_ENV_FILE": os.environ.get("VG_ENV_FILE", "var/bench.env"),
        "VG_DB_NAME": settings.DATABASES["default"]["NAME"],
        "PG_FSYNC": os.environ.get("PG_FSYNC", "off"),
        "PG_SHARED_BUFFERS": os.environ.get("PG_SHARED_BUFFERS", "2GB"),
    }
    print("starting the streaming replica (scripts/services.sh, VG_REPLICA=1)", flush=True)
    started = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), "start"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    match = re.search(r"DATABASE_REPLICA_URLS=(\S+)", started.stdout)
    if started.returncode != 0 or match is None:
        raise RuntimeError(f"no replica: {started.stderr.strip() or started.stdout.strip()}")
    return match.group(1)


def _replica_caught_up(url: str, timeout: float = 300) -> float:
    """Seconds waited until the replica has replayed everything the primary had written."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    replica = connection.Database.connect(url)
    try:
        replica.autocommit = True
        with replica.cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", [target]
                )
                in_recovery, behind = cursor.fetchone()
                if not in_recovery:
                    raise RuntimeError(f"{url} is not a replica")
                if behind is not None and behind <= 0:
                    return time.monotonic() - started
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"the replica is still {behind} bytes behind after {timeout} s")
                time.sleep(0.5)
    finally:
        replica.close()


def _rows_read(url: str | None) -> int:
    """Rows this database has handed out so far (a replica counts its own)."""
    if url is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = current_database()")
            return cursor.fetchone()[0]
    database = connection.Database.connect(url)
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = current_database()")
            return cursor.fetchone()[0]
    finally:
        database.close()


def _workers() -> list[tuple[str, list[int]]]:
    from grids.models import Role, StaffProfile
    from veterans.models import Veteran

    profiles = StaffProfile.objects.filter(role=Role.GRID_WORKER, user__is_active=True).select_related("user")
    return [
        (profile.user.username, list(Veteran.objects.filter(grid__in=profile.grids.all()).values_list("id", flat=True)))
        for profile in profiles.order_by("id")[SUBMIT_CLIENTS : 2 * SUBMIT_CLIENTS]  # not the submit row's
    ]


def _reader():
    """Each leader in turn: the dashboard, the statistics API (a city leader's of each district in
    turn), the visits ledger (a district's filtered)."""
    from grids.models import District

    districts = list(District.objects.order_by("code", "id").values_list("id", flat=True))
    pages = {
        "city_leader": lambda n: [
            "/dashboard/",
            f"/api/statistics/?level=district&id={districts[n % len(districts)]}",
            "/admin/visits/visit/",
        ],
        "center_staff": lambda _n: ["/dashboard/", "/api/statistics/", "/admin/visits/visit/?method__exact=home"],
    }

    def read(session: Session, _client: int, n: int) -> int:
        cycle = pages[session.username](n // 3)
        return session.request("GET", cycle[n % 3])[0]

    return read


class _Setup:
    """One way of serving: a gunicorn for the submits and one for the readers, both with or both
    without the replica configured, and what was measured on them."""

    def __init__(self, replica_url: str | None, cores: tuple[set[int], set[int]] | None):
        self.replica_url = replica_url
        self.cores = cores  # (the submits' host, the readers' host), or None: not pinned
        env = {"DATABASE_REPLICA_URLS": replica_url or "", "READ_REPLICAS": "1" if replica_url else "0"}
        self.submit_server, self.submit_port = start_server(env)
        self.read_server, self.read_port = start_server(env)
        self.counter: dict[int, int] = {}
        self.unloaded: list[float] = []
        self.loaded: list[float] = []
        self.read_timings: list[float] = []
        self.read_seconds = 0.0
        self.rows = {"primary": 0, "replica": 0}

    def stop(self) -> None:
        stop_server(self.submit_server)
        stop_server(self.read_server)

    def use(self, submitters, readers) -> None:
        if self.cores:  # again each time: gunicorn's workers start after its port is open
            pinning.pin_tree(self.submit_server.pid, self.cores[0])
            pinning.pin_tree(self.read_server.pid, self.cores[1])
        for session in submitters:
            session.move_to(self.submit_port)
        for session in readers:
            session.move_to(self.read_port)

    def warm_up(self, submitters, readers, submit, read) -> None:
        self.use(submitters, readers)
        drive(submitters, submit, requests=WARMUP_PER_CLIENT, counter=self.counter)
        # Each page three times: templates, the replica's first check, and the pages' rows in the
        # database's cache, as on a replica that serves leaders all day.
        drive(readers, read, requests=9)

    def measure(self, submitters, readers, submit, read) -> None:
        """A phase of submits alone, then one while the leaders read. Both after a few seconds of
        submits not counted: the other way's loaded phase, just before, left the caches to the
        leaders' pages, and a cold unloaded phase would flatter the loaded one."""
        self.use(submitters, readers)
        settle = time.monotonic() + SETTLE_SECONDS
        drive(submitters, submit, until=lambda: time.monotonic() > settle, counter=self.counter)
        deadline = time.monotonic() + PHASE_SECONDS
        _timings, rate = drive(submitters, submit, until=lambda: time.monotonic() > deadline, counter=self.counter)
        self.unloaded.append(rate)

        # The leaders' clients are another host's browsers: their own process (a fork: their
        # sessions are already logged in) and their own cores, not threads beside the submitting
        # clients, with which they would share one interpreter lock.
        stop = _FORK.Event()
        results, sent = _FORK.Pipe(duplex=False)
        before = {"primary": _rows_read(None), "replica": _rows_read(self.replica_url) if self.replica_url else 0}
        leaders = _FORK.Process(target=_leaders_read, args=(readers, read, stop, sent, self.cores))
        leaders.start()
        time.sleep(2)  # the readers are under way before the submits are timed
        deadline = time.monotonic() + PHASE_SECONDS
        _timings, rate = drive(submitters, submit, until=lambda: time.monotonic() > deadline, counter=self.counter)
        self.loaded.append(rate)
        stop.set()
        read_timings, read_seconds = results.recv()
        leaders.join()
        self.rows["primary"] += _rows_read(None) - before["primary"]
        if self.replica_url:
            self.rows["replica"] += _rows_read(self.replica_url) - before["replica"]
        self.read_timings += read_timings
        self.read_seconds += read_seconds

    def figures(self) -> dict:
        return {
            "unloaded": statistics.fmean(self.unloaded),
            "loaded": statistics.fmean(self.loaded),
            "by_phase": [round(rate) for pair in zip(self.unloaded, self.loaded, strict=True) for rate in pair],
            "reads_per_s": round(len(self.read_timings) / self.read_seconds, 1),
            "read_p50_ms": round(statistics.median(self.read_timings), 1),
            "read_p95_ms": round(percentile(self.read_timings, 0.95), 1),
            "rows_read": self.rows,
        }


def _leaders_read(readers, read, stop, sent, cores) -> None:
    """In the forked process: read until told to stop, then send back (timings, seconds)."""
    if cores:
        os.sched_setaffinity(0, cores[1])
    started = time.perf_counter()
    timings, _rate = drive(readers, read, until=stop.is_set)
    sent.send((timings, time.perf_counter() - started))


def _measure_both(*, replica_url: str, submitters, readers, submit, read, cores) -> tuple[dict, dict]:
    """The reads on the primary, then on the replica, and again: whatever else the machine does
    meanwhile falls on both ways alike."""
    setups = [_Setup(None, cores), _Setup(replica_url, cores)]
    try:
        for setup in setups:
            setup.warm_up(submitters, readers, submit, read)
        for _round in range(ROUNDS):
            for setup in setups:
                setup.measure(submitters, readers, submit, read)
    finally:
        for setup in setups:
            setup.stop()
    return setups[0].figures(), setups[1].figures()


def bench_replica() -> list[Result]:
    from accounts.demo import DEMO_TOTP_KEY, demo_authenticators_ensure
    from dashboard.figures import warm_boards
    from visits.models import Visit

    url = _replica_url()
    caught_up = _replica_caught_up(url)
    demo_authenticators_ensure(READERS)
    warm_boards()  # as the beat job keeps them every minute
    started_at = timezone.now()
    workers = _workers()
    submit, read = submitter(workers), _reader()
    # Logged in once, on a server of their own: a second login would end the first session, and
    # an authenticator's code is accepted once.
    login_server, login_port = start_server()
    try:
        submitters = [Session(login_port, username) for username, _ids in workers]
        readers = [Session(login_port, username, totp_key=DEMO_TOTP_KEY) for username in READERS]
    finally:
        stop_server(login_server)
    with _two_hosts(url) as cores:
        on_primary, on_replica = _measure_both(
            replica_url=url, submitters=submitters, readers=readers, submit=submit, read=read, cores=cores
        )
    touched = [pk for _name, ids in workers for pk in ids]
    Visit.objects.filter(veteran_id__in=touched, created_at__gte=started_at).delete()

    share_primary = on_primary["loaded"] / on_primary["unloaded"]
    share_replica = on_replica["loaded"] / on_replica["unloaded"]
    clients = f"{SUBMIT_CLIENTS} clients, gunicorn 2 workers"
    load = f"{len(READERS)} leaders reading in a loop on a second gunicorn"
    return [
        Result(
            name=f"replica: visit submit over HTTP, no read load ({clients})",
            rate=round(on_replica["unloaded"]),
            rate_unit="req/s",
            extra={
                "without_replica_configured": round(on_primary["unloaded"]),
                "replica_caught_up_after_s": round(caught_up, 1),
            },
        ),
        Result(
            name="replica: visit submit, leaders' reads on the primary",
            rate=round(on_primary["loaded"]),
            rate_unit="req/s",
            extra={"share_of_unloaded": round(share_primary, 3), "load": load, **_load_figures(on_primary)},
        ),
        Result(
            name="replica: visit submit, leaders' reads on the replica",
            rate=round(on_replica["loaded"]),
            rate_unit="req/s",
            target=f"≥ {TARGET_SHARE:.0%} of unloaded",
            met=share_replica >= TARGET_SHARE,
            extra={
                "share_of_unloaded": round(share_replica, 3),
                "cores": os.cpu_count(),
                "hosts": HOSTS if pinning.can_pin() and PIN else "one machine, every core shared",
                "load": load,
                **_load_figures(on_replica),
            },
        ),
    ]


@contextlib.contextmanager
def _two_hosts(replica_url: str):
    """Yields (the primary's cores, the replica's cores) with both databases and this thread pinned,
    or None when not pinning; every core again afterwards (the other sections run unpinned)."""
    if not (PIN and pinning.can_pin()):
        yield None
        return
    primary_cores, replica_cores = pinning.hosts()
    with connection.cursor() as cursor:
        primary = pinning.postmaster_of(cursor)
    replica_connection = connection.Database.connect(replica_url)
    try:
        with replica_connection.cursor() as cursor:
            replica = pinning.postmaster_of(cursor)
    finally:
        replica_connection.close()
    try:
        pinning.pin_tree(primary, primary_cores)
        pinning.pin_tree(replica, replica_cores)
        os.sched_setaffinity(0, primary_cores)  # the submitting clients' threads start from this one
        yield primary_cores, replica_cores
    finally:
        pinning.pin_tree(primary, pinning.ALL)
        pinning.pin_tree(replica, pinning.ALL)
        os.sched_setaffinity(0, pinning.ALL)


def _load_figures(scenario: dict) -> dict:
    return {
        "submits_by_phase_unloaded_loaded": scenario["by_phase"],
        "reads_per_s": scenario["reads_per_s"],
        "read_p50_ms": scenario["read_p50_ms"],
        "read_p95_ms": scenario["read_p95_ms"],
        "rows_read_primary": scenario["rows_read"]["primary"],
        "rows_read_replica": scenario["rows_read"]["replica"],
    }


MEASURES = {"replica": bench_replica}
