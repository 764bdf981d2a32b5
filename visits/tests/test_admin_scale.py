"""The visits ledger at a city's size (core.admin_paging): the count stops at a cap, the date
hierarchy reads the first and last day only, and the search finds people first, then visits."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import admin_paging
from grids.admin_audit import AuditEventAdmin
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.services import visit_record

LIST = "admin:visits_visit_changelist"
AUDIT_LIST = "admin:audit_auditevent_changelist"


def _visit(veteran, worker, days_ago: int):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return visit_record(veteran=veteran, acting_user=worker, method="home", visited_at=when)[0]


def test_the_count_stops_at_its_cap_and_says_so(client, tree, monkeypatch):
    monkeypatch.setattr(admin_paging.CappedCountPaginator, "cap", 3)
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    for days in range(5):
        _visit(veteran, worker, days)
    client.force_login(make_staff(tree["district"], role=Role.STATION_STAFF))
    page = client.get(reverse(LIST)).content.decode()
    assert "3+ 条，请用筛选或搜索缩小范围" in page
    veteran_list = client.get(reverse(LIST), {"visited_at__gte": timezone.localdate().isoformat()})
    assert "3+" not in veteran_list.content.decode()  # a narrower list shows its exact count


def test_the_date_hierarchy_never_lists_distinct_dates(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"], birth_date=datetime.date(1950, 1, 1))
    for days in (0, 400):  # two calendar years
        _visit(veteran, worker, days)
    client.force_login(make_staff(tree["district"], role=Role.STATION_STAFF))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse(LIST)).content.decode()
    sql = " ".join(q["sql"].upper() for q in queries)
    assert "DISTINCT" not in sql  # Django's own hierarchy: SELECT DISTINCT DATE_TRUNC over every visit
    this_year, earlier = timezone.localdate().year, (timezone.localdate() - datetime.timedelta(days=400)).year
    for year in range(earlier, this_year + 1):
        assert f"visited_at__year={year}" in page
    months = client.get(reverse(LIST), {"visited_at__year": this_year}).content.decode()
    assert f"visited_at__month={timezone.localdate().month}" in months


def test_search_finds_the_people_then_their_visits_in_scope(client, tree):
    worker_a, worker_b = make_staff(grids=[tree["grid_a11"]]), make_staff(grids=[tree["grid_b11"]])
    wang = make_veteran(tree["grid_a11"], name="王德顺")
    _visit(wang, worker_a, 1)
    _visit(make_veteran(tree["grid_a11"], name="李明"), worker_a, 1)
    _visit(make_veteran(tree["grid_b11"], name="王德顺"), worker_b, 1)  # the namesake of the other street
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    response = client.get(reverse(LIST), {"q": "王德顺"})
    assert [visit.veteran_id for visit in response.context["cl"].result_list] == [wang.pk]
    by_pinyin = client.get(reverse(LIST), {"q": "wangdeshun"})
    assert [visit.veteran_id for visit in by_pinyin.context["cl"].result_list] == [wang.pk]


def test_an_auditors_hierarchy_finds_its_first_and_last_day_without_aggregating_the_joined_scope(
    client, tree, monkeypatch
):
    """A district auditor's events are scoped through their actors (a join): MIN and MAX there read
    every row of every month, so the bounds come from a small set read whole, or from each end."""
    from audit.models import AuditAction
    from audit.services import audit_record
    from audit.tests.helpers import back_date

    staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    for days in (0, 400):
        back_date(audit_record(action=AuditAction.EXPORT, actor=staff), days)
    client.force_login(make_staff(tree["district"], role=Role.AUDITOR))
    this_year, earlier = timezone.localdate().year, (timezone.localdate() - datetime.timedelta(days=400)).year
    for small_set in (10_000, 1):  # read whole; then read from each end, as a large list is
        monkeypatch.setattr(admin_paging, "SMALL_SET", small_set)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
        for year in range(earlier, this_year + 1):
            assert f"occurred_at__year={year}" in page
        if connection.vendor == "postgresql":
            aggregates = [q["sql"] for q in queries if 'SELECT MIN("audit_auditevent"."occurred_at")' in q["sql"]]
            assert aggregates == []


def test_a_searched_audit_page_reads_its_keys_first_then_only_the_rows_shown(client, tree, monkeypatch):
    """A two-character name starts many events: the page's ids come from the covering index in
    order, then only those rows are read, in the same order, scoped as before."""
    from audit.models import AuditAction, AuditEvent
    from audit.services import audit_record
    from audit.tests.helpers import back_date
    from grids.tests.factories import StreetFactory

    elsewhere = StreetFactory(name="外区街道")  # a street of another district
    staff, other = make_staff(tree["street_a"], role=Role.STATION_STAFF), make_staff(elsewhere, role=Role.STATION_STAFF)
    ours = [make_veteran(tree["grid_a11"], name=name) for name in ("王德", "王德顺", "王德胜", "李德")]
    for days, veteran in enumerate(ours):
        back_date(audit_record(action=AuditAction.VIEW, actor=staff, obj=veteran), days)
    audit_record(action=AuditAction.VIEW, actor=other, obj=make_veteran(tree["grid_b11"], name="王德福"))
    client.force_login(make_staff(tree["district"], role=Role.AUDITOR))
    monkeypatch.setattr(AuditEventAdmin, "list_per_page", 2)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse(AUDIT_LIST), {"q": "王德"})
    keys = [q["sql"] for q in queries if "LIKE" in q["sql"] and "LIMIT 2" in q["sql"]]  # read before the next request
    assert len(keys) == 1  # the page's keys alone: what the covering index holds
    assert keys[0].split(" FROM ")[0] == (
        'SELECT "audit_auditevent"."id" AS "pk", "audit_auditevent"."occurred_at" AS "occurred_at"'
    )
    second = client.get(reverse(AUDIT_LIST), {"q": "王德", "p": 2})
    shown = [event.object_repr for event in first.context["cl"].result_list + second.context["cl"].result_list]
    assert shown == ["王德", "王德顺", "王德胜"]  # newest first; the other district's 王德福 is not the auditor's
    assert first.context["cl"].result_count == 3
    assert isinstance(first.context["cl"].result_list[0], AuditEvent)
    assert "王德" in first.content.decode() and "王德顺" in first.content.decode()
