"""The visits ledger at a city's size (core.admin_paging): the count stops at a cap, the date
hierarchy reads the first and last day only, and the search finds people first, then visits."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import admin_paging
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.services import visit_record

LIST = "admin:visits_visit_changelist"


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
