"""The one-statement submit (PostgreSQL) writes exactly what the careful path writes, and hands
every case it does not cover to the careful path."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.scoping import SYSTEM, user_scope
from grids.services import staff_profile_change
from grids.tests.factories import make_staff
from veterans.models import LifeStatus, Veteran
from veterans.tests.factories import make_veteran
from visits import quick_submit
from visits.models import Visit, VisitClaim
from visits.services import must_visit_event_report, visit_record

VISIT_COLUMNS = [
    f.attname for f in Visit._meta.concrete_fields if f.attname not in ("id", "client_id", "veteran_id", "created_at")
]
AUDIT_COLUMNS = ["actor_id", "actor_username", "ip_address", "action", "result", "object_type", "object_repr", "detail"]
User = get_user_model()
VETERAN_COLUMNS = ["last_visit_on", "visit_due_on", "event_due_on", "visit_interval_days"]


def _written(visit_pk: int, veteran_pk: int) -> dict:
    visit = Visit.objects.get(pk=visit_pk)
    audit = AuditEvent.objects.get(object_type="visits.visit", object_id=str(visit_pk))
    return {
        "visit": {name: getattr(visit, name) for name in VISIT_COLUMNS},
        "visitors": sorted(visit.visitors.values_list("id", flat=True)),
        "audit": {name: getattr(audit, name) for name in AUDIT_COLUMNS},
        "veteran": Veteran.objects.filter(pk=veteran_pk).values(*VETERAN_COLUMNS).get(),
        "claim": VisitClaim.objects.filter(client_id=visit.client_id).values_list("visit_id", "visited_at").get()
        == (visit.pk, visit.visited_at),
    }


@pytest.mark.parametrize("last_visit_days_ago", [None, 3, -2])  # never visited, visited before, "visited" after
def test_quick_and_careful_writes_are_the_same(postgres, tree, monkeypatch, last_visit_days_ago):
    grid = tree["grid_a11"]
    worker, partner = make_staff(grids=[grid]), make_staff(grids=[grid])
    when = timezone.now() - datetime.timedelta(hours=2)
    user_scope(worker)  # loaded once per user object: not part of either write
    written = {}
    for path in ("quick", "careful"):
        veteran = make_veteran(grid, name="王德顺")
        if last_visit_days_ago is not None:
            last = timezone.localdate() - datetime.timedelta(days=last_visit_days_ago)
            Veteran.objects.filter(pk=veteran.pk).update(last_visit_on=last)
        monkeypatch.setattr(quick_submit, "applies", lambda path=path, **_: path == "quick")
        with CaptureQueriesContext(connection) as queries:
            visit, created = visit_record(
                veteran=veteran,
                acting_user=worker,
                visitors=[partner],
                client_id=uuid.uuid4(),
                visited_at=when,
                method="home",
                kind="routine",
                findings="身体尚可",
                needs="助浴",
                money=Decimal("200.50"),
                goods="米面油",
                goods_value=Decimal("88.00"),
                follow_up_needed=True,
                follow_up_by=timezone.localdate() + datetime.timedelta(days=7),
                latitude=Decimal("39.1234567"),  # rounded alike on both paths
                longitude=Decimal("-117.000001"),
                location_accuracy=15.5,
            )
        statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("PREPARE")]
        assert len(statements) == (1 if path == "quick" else 8)  # careful: read, then 5 writes in a savepoint
        assert created and visit.pk and visit.veteran.name == "王德顺" and visit.grid.name == grid.name
        assert (visit.veteran_id, visit.grid_id, visit.grid.district_id) == (veteran.pk, grid.pk, grid.district_id)
        written[path] = _written(visit.pk, veteran.pk)
    assert written["quick"] == written["careful"] and written["quick"]["claim"]
    assert written["quick"]["visit"]["latitude"] == Decimal("39.123457")
    assert written["quick"]["visitors"] == sorted([worker.pk, partner.pk])


def test_cases_it_does_not_cover_go_the_careful_way(postgres, tree):
    grid = tree["grid_a11"]
    worker = make_staff(grids=[grid])
    other_grid = make_veteran(tree["grid_a12"])
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        visit_record(veteran=other_grid, acting_user=worker, method="home")
    assert not Visit.objects.exists() and not AuditEvent.objects.filter(object_type="visits.visit").exists()

    dead = make_veteran(grid)
    Veteran.objects.filter(pk=dead.pk).update(life_status=LifeStatus.DECEASED, life_status_date=timezone.localdate())
    with pytest.raises(ApplicationError, match="不能记录走访"):
        visit_record(veteran=dead, acting_user=worker, method="home")

    with_event = make_veteran(grid)
    event = must_visit_event_report(
        veteran=with_event, kind="hospital", occurred_on=timezone.localdate(), acting_user=worker
    )
    visit, created = visit_record(veteran=with_event, acting_user=worker, method="home")
    event.refresh_from_db()
    assert created and event.resolved_by_id == visit.pk  # the careful path closed the open event
    assert Veteran.objects.get(pk=with_event.pk).event_due_on is None

    client_id = uuid.uuid4()
    plain = make_veteran(grid)
    first, first_created = visit_record(veteran=plain, acting_user=worker, method="home", client_id=client_id)
    again, again_created = visit_record(veteran=plain, acting_user=worker, method="phone", client_id=client_id)
    assert (first_created, again_created) == (True, False) and again.pk == first.pk
    assert Visit.objects.filter(client_id=client_id).count() == 1
    assert AuditEvent.objects.filter(object_type="visits.visit", object_id=str(first.pk)).count() == 1


def test_a_worker_moved_to_another_grid_loses_the_old_one_at_once(postgres, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    _visit, created = visit_record(veteran=veteran, acting_user=worker, method="home")  # its statement is kept
    assert created
    with django_capture_on_commit_callbacks(execute=True):
        staff_profile_change(
            profile=worker.staff_profile,
            role=worker.staff_profile.role,
            scope_level="grid",
            grids=[tree["grid_a12"]],
            acting_user=SYSTEM,
        )
    moved = User.objects.get(pk=worker.pk)  # the next request loads the user again
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        visit_record(veteran=veteran, acting_user=moved, method="home")
    assert Visit.objects.filter(veteran=veteran).count() == 1


def test_a_session_that_lost_its_prepared_statements_prepares_again(postgres, tree, transactional_db):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    assert visit_record(veteran=veteran, acting_user=worker, method="home")[1]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a connection pooler does between clients
    _visit, created = visit_record(veteran=veteran, acting_user=worker, method="phone")
    assert created and Visit.objects.filter(veteran=veteran).count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_form_sent_twice_at_once_with_two_times_records_one_visit(postgres, tree):
    """Visits are partitioned by month, so the number is kept once in VisitClaim, whatever the
    time each copy carries and however the two submits meet."""
    import threading

    from django.db import connection as thread_connection

    worker, veteran = make_staff(grids=[tree["grid_a11"]]), make_veteran(tree["grid_a11"])
    client_id, barrier, results = uuid.uuid4(), threading.Barrier(2), []

    def submit(hours: int) -> None:
        try:
            barrier.wait(timeout=10)
            when = timezone.now() - datetime.timedelta(hours=hours)
            results.append(
                visit_record(veteran=veteran, acting_user=worker, method="home", client_id=client_id, visited_at=when)
            )
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit, args=(hours,)) for hours in (1, 30 * 24)]  # two months apart
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(created for _visit, created in results) == [False, True]
    assert len({visit.pk for visit, _created in results}) == 1
    assert Visit.objects.filter(client_id=client_id).count() == 1 and VisitClaim.objects.count() == 1
