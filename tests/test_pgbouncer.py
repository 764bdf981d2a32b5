"""Behind a real PgBouncer in transaction pooling mode (scripts/services.sh with VG_PGBOUNCER=1;
CI starts one): workers of different grids submitting at once through a pool of fewer server
sessions than clients each write their own visits, once, on the right person."""

import os
import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection, connections

from conftest import require_service
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits import quick_submit
from visits.models import Visit
from visits.services import visit_record

pytestmark = pytest.mark.postgres
ROUNDS = 8


@pytest.fixture
def through_pgbouncer(transactional_db, settings):
    url = os.environ.get("PGBOUNCER_URL", "")
    require_service(
        "PgBouncer",
        bool(url) and connection.vendor == "postgresql",
        "PGBOUNCER_URL is not set (VG_PGBOUNCER=1 scripts/services.sh start)",
    )
    settings.DATABASE_POOLING = "transaction"
    bouncer = urlsplit(url)
    saved = dict(connection.settings_dict)
    connections.close_all()
    # Every thread's connection is made from these settings: the test database, through the pooler.
    connection.settings_dict.update(HOST=bouncer.hostname, PORT=str(bouncer.port), DISABLE_SERVER_SIDE_CURSORS=True)
    connection.settings_dict.get("OPTIONS", {}).pop("options", None)
    yield
    connections.close_all()
    _release_server_sessions(bouncer, saved["NAME"])
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def _release_server_sessions(bouncer, database: str) -> None:
    """The pooler keeps its server sessions open; the test database can only be dropped without them."""
    import psycopg2

    admin = psycopg2.connect(host=bouncer.hostname, port=bouncer.port, user="postgres", dbname="pgbouncer")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"KILL {database}")
        cursor.execute(f"RESUME {database}")
    admin.close()


def _through_pooler() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SHOW port")  # the server's own port, not the one we dialled
        return cursor.fetchone()[0] != str(connection.settings_dict["PORT"])


def test_quick_submits_from_many_clients_through_transaction_pooling(through_pgbouncer, tree):
    assert _through_pooler()
    grids = [tree["grid_a11"], tree["grid_a12"], tree["grid_b11"], tree["grid_b21"], tree["grid_a21"], tree["grid_b12"]]
    teams = [(make_staff(grids=[grid]), [make_veteran(grid) for _ in range(2)]) for grid in grids]
    failures = []

    def submit(worker, people):
        try:
            for round_number in range(ROUNDS):
                for person in people:
                    _visit, created = visit_record(veteran=person, acting_user=worker, method="home")
                    assert created, (worker.username, person.pk, round_number)
        except Exception as error:  # reported to the main thread, which fails the test
            failures.append(repr(error))
        finally:
            connection.close()

    prepared_before = sum(len(names) for names in quick_submit._PREPARED.values())
    threads = [threading.Thread(target=submit, args=team) for team in teams]  # 6 clients, 4 server sessions
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []  # with SQL PREPARE (session pooling's way) this fails: "already exists"
    assert sum(len(names) for names in quick_submit._PREPARED.values()) == prepared_before
    for worker, people in teams:
        for person in people:
            visits = Visit.objects.filter(veteran=person)
            assert visits.count() == ROUNDS
            assert set(visits.values_list("grid_id", flat=True)) == {person.grid_id}
            assert set(visits.values_list("visitors", flat=True)) == {worker.pk}
