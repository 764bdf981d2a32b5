import datetime

import pytest
from django.utils import timezone

from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.models import PriorityCategory, Veteran
from veterans.services import veteran_set_priority_care, veteran_update
from veterans.tests.factories import make_veteran
from visits.models import PolicyGroup, VisitPolicy
from visits.schedule import forget_policy_intervals, refresh_visit_schedule
from visits.services import must_visit_event_report, visit_record

TODAY = datetime.date(2026, 11, 23)


def visited(veteran, days_ago: int, user):
    when = timezone.now() - datetime.timedelta(days=days_ago, minutes=1)
    visit_record(veteran=veteran, acting_user=user, method="home", visited_at=when)
    veteran.refresh_from_db()
    return veteran


@pytest.fixture
def worker(tree):
    return make_staff(grids=[tree["grid_a11"]])


@pytest.mark.parametrize(
    ("fields", "categories", "interval"),
    [
        ({}, [], 182),
        ({"birth_date": datetime.date(1940, 1, 1)}, [], 30),
        ({"extreme_poverty": True}, [], 30),
        ({"minimum_living_allowance": True}, [], 30),
        ({}, [(PriorityCategory.DISABLED, 3)], 30),
        ({}, [(PriorityCategory.DISABLED, 7)], 90),
        ({}, [(PriorityCategory.MARTYR_FAMILY, None)], 90),
    ],
)
def test_due_date_for_each_policy_group(tree, worker, fields, categories, interval):
    veteran = make_veteran(tree["grid_a11"], categories=categories, **fields)
    veteran = visited(veteran, 10, worker)
    assert veteran.visit_interval_days == interval
    assert veteran.visit_due_on == veteran.last_visit_on + datetime.timedelta(days=interval)


def test_a_person_in_several_groups_takes_the_shortest_interval(tree, worker):
    VisitPolicy.objects.filter(group=PolicyGroup.PRIORITY_CARE).update(interval_days=20)
    veteran = make_veteran(
        tree["grid_a11"], birth_date=datetime.date(1940, 1, 1), categories=[(PriorityCategory.KOREAN_WAR, None)]
    )
    veteran = visited(veteran, 1, worker)
    assert veteran.visit_interval_days == 20


def test_everyone_interval_applies_when_it_is_the_shortest(tree, worker):
    VisitPolicy.objects.filter(group=PolicyGroup.EVERYONE).update(interval_days=7)
    veteran = visited(make_veteran(tree["grid_a11"], birth_date=datetime.date(1940, 1, 1)), 1, worker)
    assert veteran.visit_interval_days == 7


def test_never_visited_is_due_from_the_day_of_filing(tree):
    veteran = make_veteran(tree["grid_a11"])
    veteran.refresh_from_db()
    assert veteran.visit_due_on == timezone.localdate()
    assert veteran.last_visit_on is None


def test_changing_groups_moves_the_due_date(tree, worker):
    veteran = visited(make_veteran(tree["grid_a11"]), 40, worker)
    assert veteran.visit_interval_days == 182
    veteran_update(veteran=veteran, extreme_poverty=True, acting_user=SYSTEM)
    veteran.refresh_from_db()
    assert veteran.visit_interval_days == 30
    assert veteran.visit_due_on < timezone.localdate()  # now overdue
    veteran_set_priority_care(veteran=veteran, categories=[], acting_user=SYSTEM)
    veteran_update(veteran=veteran, extreme_poverty=False, acting_user=SYSTEM)
    veteran.refresh_from_db()
    assert veteran.visit_interval_days == 182


def test_policy_change_applies_to_everyone_on_refresh(tree, worker):
    veterans = [visited(make_veteran(tree["grid_a11"]), 5, worker) for _ in range(3)]
    VisitPolicy.objects.filter(group=PolicyGroup.EVERYONE).update(interval_days=60)
    forget_policy_intervals()  # as visit_policy_set does
    refresh_visit_schedule()
    for veteran in veterans:
        veteran.refresh_from_db()
        assert veteran.visit_interval_days == 60
        assert veteran.visit_due_on == veteran.last_visit_on + datetime.timedelta(days=60)


def test_turning_80_is_picked_up_by_the_nightly_refresh(tree, worker):
    today = timezone.localdate()
    birthday_80 = today.replace(year=today.year - 80)
    veteran = visited(make_veteran(tree["grid_a11"], birth_date=birthday_80 + datetime.timedelta(days=1)), 1, worker)
    assert veteran.visit_interval_days == 182
    refresh_visit_schedule(today=today + datetime.timedelta(days=1))
    veteran.refresh_from_db()
    assert veteran.visit_interval_days == 30


def test_must_visit_event_brings_the_visit_forward_and_a_visit_closes_it(tree, worker):
    veteran = visited(make_veteran(tree["grid_a11"]), 1, worker)
    assert veteran.visit_due_on > timezone.localdate() + datetime.timedelta(days=100)
    event = must_visit_event_report(
        veteran=veteran, kind="hospital", occurred_on=timezone.localdate(), acting_user=worker
    )
    veteran.refresh_from_db()
    assert veteran.event_due_on == event.due_by
    assert event.due_by <= timezone.localdate() + datetime.timedelta(days=10)
    visited(veteran, 0, worker)
    event.refresh_from_db()
    veteran.refresh_from_db()
    assert event.resolved_at is not None and event.resolved_by is not None
    assert veteran.event_due_on is None


def test_bulk_refresh_matches_single_refresh(tree, worker):
    mixed = [
        make_veteran(tree["grid_a11"], birth_date=datetime.date(1941, 5, 5)),
        make_veteran(tree["grid_a11"], categories=[(PriorityCategory.DISABLED, 2)]),
        make_veteran(tree["grid_a11"]),
    ]
    for veteran in mixed:
        visited(veteran, 3, worker)
    before = list(Veteran.objects.order_by("pk").values_list("visit_interval_days", "visit_due_on"))
    Veteran.objects.update(visit_interval_days=None)
    refresh_visit_schedule()
    assert list(Veteran.objects.order_by("pk").values_list("visit_interval_days", "visit_due_on")) == before


def test_refresh_writes_only_rows_that_change(tree, worker):
    for _ in range(3):
        visited(make_veteran(tree["grid_a11"]), 2, worker)
    assert refresh_visit_schedule() == 0
    old = make_veteran(tree["grid_a11"], birth_date=datetime.date(1940, 1, 1))
    Veteran.objects.filter(pk=old.pk).update(visit_interval_days=182)
    assert refresh_visit_schedule() == 1


def test_python_rule_for_imports_agrees_with_the_sql_rule(tree, worker):
    from visits.schedule import interval_for, policy_intervals

    VisitPolicy.objects.filter(group=PolicyGroup.PRIORITY_CARE).update(interval_days=60)
    cases = [
        ({}, []),
        ({"birth_date": datetime.date(1939, 2, 2)}, []),
        ({"extreme_poverty": True}, []),
        ({}, [(PriorityCategory.DISABLED, 4)]),
        ({}, [(PriorityCategory.DISABLED, 5)]),
        ({"minimum_living_allowance": True}, [(PriorityCategory.KOREAN_WAR, None)]),
    ]
    intervals = policy_intervals()
    for fields, categories in cases:
        veteran = make_veteran(tree["grid_a11"], categories=categories, **fields)
        veteran.refresh_from_db()
        expected = interval_for(
            birth_date=veteran.birth_date,
            extreme_poverty=veteran.extreme_poverty,
            minimum_living_allowance=veteran.minimum_living_allowance,
            categories=categories,
            intervals=intervals,
            today=timezone.localdate(),
        )
        assert veteran.visit_interval_days == expected, (fields, categories)


def test_refresh_of_a_filter_that_its_own_updates_would_change(tree):
    for _ in range(3):
        make_veteran(tree["grid_a11"])
    Veteran.objects.update(visit_interval_days=None, visit_due_on=None)
    refresh_visit_schedule(Veteran.objects.filter(visit_interval_days__isnull=True))
    assert not Veteran.objects.filter(visit_due_on__isnull=True).exists()


def test_visit_submit_stays_within_a_small_number_of_queries(tree, worker, django_assert_max_num_queries):
    veteran = make_veteran(tree["grid_a11"], categories=[(PriorityCategory.DISABLED, 2)])
    visit_record(veteran=veteran, acting_user=worker, method="home")  # warms the policy cache
    with django_assert_max_num_queries(12):
        visit_record(veteran=veteran, acting_user=worker, method="phone")
    veteran.refresh_from_db()
    assert veteran.visit_interval_days == 30
