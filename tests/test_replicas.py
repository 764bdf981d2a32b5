"""Read replicas against a real PostgreSQL streaming replica (scripts/services.sh with
VG_REPLICA=1; CI starts one): stale-tolerant reads go to the replica, writes and transactions to
the primary, a user who just wrote reads from the primary, a lagging or down replica is skipped,
and /healthz reports each replica's lag."""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import require_service
from core.db import replicas
from core.db.replicas import choose_replica, serving, stale_reads
from grids.models import District, Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran

REPLICA = "replica_1"
# Without a replica configured (SQLite, `make test`) the alias does not exist: the tests then skip
# in the `replica` fixture (or fail under REQUIRE_SERVICES) instead of erroring on the alias.
_ALIASES = ["default", REPLICA] if REPLICA in django_settings.DATABASES else ["default"]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=_ALIASES)]


@pytest.fixture
def replica(settings):
    require_service(
        "PostgreSQL replica",
        REPLICA in settings.DATABASES and connections["default"].vendor == "postgresql",
        "DATABASE_REPLICA_URLS is not set (VG_REPLICA=1 scripts/services.sh start)",
    )
    settings.READ_REPLICAS = True
    settings.REPLICA_CHECK_SECONDS = 0  # measure on every choice: the tests change the replica's state
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    replicas.forget_replica_states()
    yield REPLICA
    replicas.forget_replica_states()


def _caught_up(timeout: float = 10.0) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = replicas.replica_state(REPLICA, fresh=True)
        if state.up and state.lag_seconds == 0:
            return
        time.sleep(0.05)
    pytest.fail(f"the replica did not catch up in {timeout} s: {state}")


def _on_replica(sql: str):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class _Request:
    def __init__(self, user):
        self.user = user


def test_stale_reads_go_to_the_replica_and_writes_to_the_primary(replica, tree):
    _caught_up()
    assert _on_replica("SELECT pg_is_in_recovery()") is True  # a real standby, not the primary again
    assert District.objects.all().db == "default"  # outside a stale-read block: the primary
    with stale_reads() as chosen:
        assert chosen == REPLICA
        districts = District.objects.all()
        assert districts.db == REPLICA
        assert [d.name for d in districts] == [tree["district"].name]  # replicated rows
        made = District.objects.create(name="新区", code="990000")  # a write: the primary
        assert made._state.db == "default"
        with transaction.atomic():
            assert District.objects.all().db == "default"  # a transaction reads what it wrote
    assert District.objects.filter(code="990000").exists()


def test_a_user_who_just_wrote_reads_from_the_primary(replica, tree, client, settings):
    settings.REPLICA_STICKY_SECONDS = 2
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    make_veteran(tree["grid_a11"])
    _caught_up()
    client.force_login(station)  # no write request yet
    board = reverse("dashboard:board")
    grid = {"level": "grid", "id": tree["grid_a11"].pk}  # counted live (not from the minute cache)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(board, grid).status_code == 200
    assert len(on_replica) > 0
    client.post(reverse("set_language"), {"language": "zh-hans"})  # any write request marks the user
    assert replicas.wrote_recently(station.pk)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(board, grid).status_code == 200
    assert len(on_replica) == 0  # read-your-writes: all on the primary
    with serving(_Request(station)):
        assert choose_replica() is None
    time.sleep(2.1)
    with serving(_Request(station)):
        assert choose_replica() == REPLICA  # the mark expired


def test_a_lagging_replica_is_skipped_and_healthz_reports_its_lag(replica, tree, client):
    _caught_up()
    assert choose_replica() == REPLICA
    _on_replica("SELECT pg_wal_replay_pause()::text")
    try:
        District.objects.create(name="滞后区", code="990001")
        time.sleep(0.8)  # past REPLICA_MAX_LAG_SECONDS with a write not replayed
        state = replicas.replica_state(REPLICA, fresh=True)
        assert state.up and state.lag_seconds > 0.5 and not state.usable
        assert choose_replica() is None
        health = client.get("/healthz").json()
        assert health["status"] == "degraded"
        [reported] = health["replicas"]
        assert reported["alias"] == REPLICA and reported["usable"] is False and reported["lag_seconds"] > 0.5
    finally:
        _on_replica("SELECT pg_wal_replay_resume()::text")
    _caught_up()
    assert choose_replica() == REPLICA
    assert client.get("/healthz").json()["replicas"][0]["lag_seconds"] == 0


def test_a_replica_that_is_down_is_skipped(replica, tree):
    settings_dict = connections[REPLICA].settings_dict
    port = settings_dict["PORT"]
    connections[REPLICA].close()
    settings_dict["PORT"] = 1  # nothing listens there
    try:
        state = replicas.replica_state(REPLICA, fresh=True)
        assert not state.up and not state.usable
        with stale_reads() as chosen:
            assert chosen is None
            assert District.objects.all().db == "default"
            assert District.objects.count() == 1
    finally:
        connections[REPLICA].close()
        settings_dict["PORT"] = port
    _caught_up()


def test_a_grid_workers_write_leaves_no_mark(replica, tree, client):
    worker = make_staff(tree["grid_a11"], role=Role.GRID_WORKER)  # reads no stale page
    client.force_login(worker)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    assert not replicas.wrote_recently(worker.pk)
