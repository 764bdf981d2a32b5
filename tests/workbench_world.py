"""The world the workbench tests count by hand (tests/test_workbench.py, the browser's
tests/test_browser_landing.py): street a's station ("station") and its colleague, a grid worker
of a11, a12 and a21, the district's leader and street b's station ("station_b"), whose rows
station must never count. Each builder says what it adds and what station should see of it."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from appeals.models import Appeal, AppealCategory, AppealKind
from appeals.services import appeal_open
from assistance.models import ReliefFund
from assistance.services import case_open, case_step, fund_receive
from assistance.tests.factories import CaseTypeFactory
from core.workdays import add_working_days
from grids.scoping import SYSTEM
from merging.finder import pairs_find
from transfers.services import transfer_start
from veterans.models import ImportStatus, LifeStatus, Veteran, VeteranImport
from veterans.tests.factories import make_veteran
from visits.models import MustVisitEvent
from visits.services import must_visit_event_report
from wishes.services import wish_claim, wish_collect, wish_publish

_names = itertools.count(1)


def person(grid, name=None, **fields):
    """A file with a name of its own and no phone: shared names and phones are near-duplicates."""
    return make_veteran(grid, name=name or f"测试{next(_names)}号", phone="", **fields)


def _case(veteran, illness, *, opened_by, reported_days_ago, steps=()):
    case = case_open(
        veteran=veteran,
        case_type=illness,
        description="住院",
        amount_requested="1500",
        reported_on=timezone.localdate() - datetime.timedelta(days=reported_days_ago),
        acting_user=opened_by,
    )
    for action, actor, extra in steps:
        case = case_step(case=case, action=action, acting_user=actor, **extra)
    return case


def build_cases(tree, cast):
    """Waiting for station: one to review (12 days old), one to approve (5), one to pay (3).
    Not for station: its own application, the payment of what it approved, street b's."""
    illness = CaseTypeFactory()
    fund, new = ReliefFund.objects.get_or_create(
        name="甲街道帮扶基金", level="street", district=tree["district"], street=tree["street_a"]
    )
    if new:
        fund_receive(fund=fund, kind="allocation", amount="100000", acting_user=cast["station"])
    worker, station, colleague, leader = cast["worker"], cast["station"], cast["colleague"], cast["leader"]
    submit = ("submit", worker, {})
    review = ("review", colleague, {})
    _case(person(tree["grid_a11"]), illness, opened_by=worker, reported_days_ago=12, steps=[submit])
    own = ("submit", station, {})
    _case(person(tree["grid_a11"]), illness, opened_by=station, reported_days_ago=20, steps=[own])
    _case(person(tree["grid_a12"]), illness, opened_by=worker, reported_days_ago=5, steps=[submit, review])
    approved_by_station = ("approve", station, {"amount": Decimal("1500")})
    _case(
        person(tree["grid_a12"]),
        illness,
        opened_by=worker,
        reported_days_ago=30,
        steps=[submit, review, approved_by_station],
    )
    approved_by_leader = ("approve", leader, {"amount": Decimal("1500")})
    _case(
        person(tree["grid_a21"]),
        illness,
        opened_by=worker,
        reported_days_ago=3,
        steps=[submit, review, approved_by_leader],
    )
    station_b_submit = ("submit", cast["station_b"], {})
    _case(person(tree["grid_b11"]), illness, opened_by=cast["station_b"], reported_days_ago=9, steps=[station_b_submit])
    return fund


def build_appeals(tree, cast):
    """Station: two late, two due within 3 working days (today and the third working day);
    one due the day after that, and street b's late one, are not counted."""
    today = timezone.localdate()
    category = AppealCategory.objects.create(name="测试政策咨询", kind=AppealKind.QUESTION, deadline_days=5)
    last_day = add_working_days(today, 3)
    deadlines = [
        (tree["grid_a11"], today - datetime.timedelta(days=1)),
        (tree["grid_a12"], today - datetime.timedelta(days=9)),
        (tree["grid_a21"], today),
        (tree["grid_a11"], last_day),
        (tree["grid_a11"], last_day + datetime.timedelta(days=1)),
        (tree["grid_b11"], today - datetime.timedelta(days=2)),
    ]
    for grid, deadline in deadlines:
        by = cast["station"] if grid.community.street_id == tree["street_a"].pk else cast["station_b"]
        appeal = appeal_open(
            veteran=person(grid),
            category=category,
            channel="phone",
            subject="优待证办理",
            content="咨询",
            received_on=today - datetime.timedelta(days=20),
            acting_user=by,
        )
        # The deadline counts working days from the day received; set it to the day this test needs.
        Appeal.objects.filter(pk=appeal.pk).update(deadline=deadline)


def build_overdue(tree):
    """Overdue for a visit: a11 three (one of them also has a late must-visit event), a21 two,
    a12 one; street b two; a deceased file in a11 is not counted. Returns the late-event file."""
    today = timezone.localdate()
    # Time has passed: every file so far was visited lately, these were due days ago.
    Veteran.objects.update(visit_due_on=today + datetime.timedelta(days=30))
    overdue = [*[person(tree["grid_a11"]) for _ in range(3)], *[person(tree["grid_a21"]) for _ in range(2)]]
    overdue += [person(tree["grid_a12"]), person(tree["grid_b11"]), person(tree["grid_b12"])]
    deceased = person(tree["grid_a11"])
    Veteran.objects.filter(pk=deceased.pk).update(life_status=LifeStatus.DECEASED, life_status_date=today)
    on_time = person(tree["grid_a21"])
    Veteran.objects.filter(pk__in=[v.pk for v in [*overdue, deceased]]).update(
        visit_due_on=today - datetime.timedelta(days=5)
    )
    Veteran.objects.filter(pk=on_time.pk).update(visit_due_on=today + datetime.timedelta(days=30))
    return overdue[0]


def build_events(tree, cast, late_one):
    """Open must-visit events of station's street: one late (on an overdue file), one not yet
    due (its file then due within days, not overdue); street b's is not counted."""
    today = timezone.localdate()
    late = must_visit_event_report(
        veteran=late_one, kind="hospital", occurred_on=today - datetime.timedelta(days=20), acting_user=cast["station"]
    )
    # Reported a week ago: due within 3 working days of that, so late by now.
    MustVisitEvent.objects.filter(pk=late.pk).update(due_by=today - datetime.timedelta(days=2))
    fresh = person(tree["grid_a22"])
    must_visit_event_report(veteran=fresh, kind="hospital", occurred_on=today, acting_user=cast["station"])
    Veteran.objects.filter(pk=fresh.pk).update(visit_due_on=today + datetime.timedelta(days=30))
    other = person(tree["grid_b21"])
    must_visit_event_report(veteran=other, kind="dispute", occurred_on=today, acting_user=cast["station_b"])
    Veteran.objects.filter(pk=other.pk).update(visit_due_on=today + datetime.timedelta(days=30))


def build_imports(cast):
    """Station's own uploads: one checked, one partly checked (both waiting), one done; another
    user's checked upload is theirs."""
    for status, user in [
        (ImportStatus.VALID, cast["station"]),
        (ImportStatus.PARTIAL, cast["station"]),
        (ImportStatus.DONE, cast["station"]),
        (ImportStatus.VALID, cast["colleague"]),
    ]:
        VeteranImport.objects.create(created_by=user, status=status, original_name=f"{status}.xlsx")


def build_wishes(tree, cast):
    """Unclaimed in street a: one collected, one published; a claimed one and street b's are not."""
    station, worker = cast["station"], cast["worker"]

    def collect(grid, by):
        return wish_collect(veteran=person(grid), title="一台新轮椅", estimated_value="1800", acting_user=by)

    collect(tree["grid_a11"], worker)
    wish_publish(wish=collect(tree["grid_a11"], worker), acting_user=station)
    claimed = wish_publish(wish=collect(tree["grid_a12"], station), acting_user=station)
    wish_claim(
        wish=claimed,
        donor_kind="enterprise",
        donor_name="津门爱心企业",
        donor_phone="13900001111",
        claimed_on=timezone.localdate(),
        acting_user=station,
    )
    collect(tree["grid_b11"], cast["station_b"])


def build_transfers(tree, cast):
    """Sent to street a and waiting: one; sent from street a: not station's to accept."""
    transfer_start(
        veteran=person(tree["grid_b11"]), to_grid=tree["grid_a11"], reason="随子女", acting_user=cast["station_b"]
    )
    transfer_start(
        veteran=person(tree["grid_a11"]), to_grid=tree["grid_b11"], reason="随子女", acting_user=cast["station"]
    )


def build_duplicates(tree):
    """One near-duplicate pair in street a (same name and birth date), one in street b."""
    for grid in (tree["grid_a21"], tree["grid_a22"]):
        make_veteran(grid, name="李秀兰", phone="", birth_date=datetime.date(1948, 2, 3), gender="F")
    for grid in (tree["grid_b21"], tree["grid_b22"]):
        make_veteran(grid, name="赵淑珍", phone="", birth_date=datetime.date(1947, 6, 5), gender="F")
    pairs_find(acting_user=SYSTEM)


def build_files(tree):
    """Plaques and completeness, set last over every file: in street a, 4 living files have a
    plaque hung and 5 are below the completeness line; the rest of street a hangs none and is
    above the line. Returns the living files of street a."""
    living_a = Veteran.objects.filter(street=tree["street_a"], life_status=LifeStatus.ALIVE, removed_at__isnull=True)
    pks = list(living_a.order_by("pk").values_list("pk", flat=True))
    Veteran.objects.update(completeness=80, glory_plaque_hung_on=None)
    Veteran.objects.filter(pk__in=pks[:4]).update(glory_plaque_hung_on=datetime.date(2025, 8, 1))
    Veteran.objects.filter(pk__in=pks[-5:]).update(completeness=40)
    Veteran.objects.filter(street=tree["street_b"]).update(completeness=10)
    return pks
