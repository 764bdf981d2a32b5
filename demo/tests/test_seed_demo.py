from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.models import AuditEvent
from confirmations.models import Confirmation, ConfirmationMethod, ConfirmationRound, ConfirmationStatus
from confirmations.selectors import confirmation_figures, confirmation_totals, eligible_q
from confirmations.services import CONFIRMING_VISIT_METHODS
from grids.models import Community, District, Grid, Role, StaffProfile, Street
from grids.scoping import SYSTEM, scope_queryset
from maps.models import HomePosition
from merging.models import DuplicatePair, MatchReason, PairStatus
from transfers.models import Transfer, TransferStatus
from veterans.demo import KIND_CATEGORY
from veterans.identity import parse_id_number
from veterans.models import KIND_SOLDIER_STATUS, PersonKind, SourceSoldier, Veteran, VeteranChange
from veterans.services import validate_source_soldier, validate_veteran
from visits.models import Visit


def test_default_demo_is_heping_shaped(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (District.objects.count(), Street.objects.count()) == (1, 6)
    assert (Community.objects.count(), Grid.objects.count()) == (64, 629)
    assert District.objects.get().name == "和平区"
    assert Community.objects.filter(name="朝阳里社区", street__name="劝业场街道").exists()
    assert StaffProfile.objects.filter(role=Role.GRID_LEADER).count() == 629
    assert StaffProfile.objects.filter(role=Role.GRID_WORKER).count() == 629 * 2
    assert StaffProfile.objects.filter(role=Role.BUREAU_LEADER).count() == 2  # the city and the district
    # every grid has exactly one leader
    assert Grid.objects.filter(staff_profiles__role=Role.GRID_LEADER).distinct().count() == 629
    output = out.getvalue()
    for username in (
        "sysadmin",
        "city_leader",
        "leader",
        "center_staff",
        "street_staff",
        "community_staff",
        "grid_leader",
        "grid_worker",
    ):
        assert username in output


def test_demo_logins_are_scoped_as_printed(db, client):
    call_command("seed_demo", stdout=StringIO())
    city_leader = StaffProfile.objects.get(user__username="city_leader").user
    assert scope_queryset(city_leader, Grid.objects.all()).count() == Grid.objects.count()
    worker = StaffProfile.objects.get(user__username="grid_worker").user
    assert scope_queryset(worker, Grid.objects.all()).count() == 1
    community_staff = StaffProfile.objects.get(user__username="community_staff").user
    community = Community.objects.get(name="朝阳里社区")
    assert scope_queryset(community_staff, Grid.objects.all()).count() == community.grids.count()
    from grids.demo import DEMO_PASSWORD

    response = client.post("/admin/login/", {"username": "street_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_same_seed_gives_the_same_area(db):
    call_command("seed_demo", "--seed", "7", "--grids", "100", "--communities", "20", stdout=StringIO())
    first = list(Grid.objects.order_by("code").values_list("code", "name"))
    StaffProfile.grids.through.objects.all().delete()
    StaffProfile.objects.all().delete()
    Grid.objects.all().delete()
    Community.objects.all().delete()
    Street.objects.all().delete()
    District.objects.all().delete()
    get_user_model().objects.all().delete()
    call_command("seed_demo", "--seed", "7", "--grids", "100", "--communities", "20", stdout=StringIO())
    assert list(Grid.objects.order_by("code").values_list("code", "name")) == first


def test_seeding_twice_is_refused_or_skipped(db):
    call_command("seed_demo", "--streets", "2", "--grids", "10", "--communities", "5", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()
    assert Grid.objects.count() == 10


def test_a_city_of_several_districts(db):
    call_command(
        "seed_demo",
        "--districts",
        "3",
        "--streets",
        "4",
        "--communities",
        "12",
        "--grids",
        "50",
        "--workers-per-grid",
        "1",
        stdout=StringIO(),
    )
    assert District.objects.count() == 3
    assert Grid.objects.count() == 150
    assert StaffProfile.objects.filter(role=Role.BUREAU_LEADER).count() == 4  # one per district and the city


# A small area (3 streets, 12 grids) is enough for every demo builder and quick to build.
SMALL_AREA = ("--streets", "3", "--communities", "6", "--grids", "12", "--veterans", "300")


def _seed(*extra: str, seed: str = "2026") -> str:
    out = StringIO()
    call_command("seed_demo", "--seed", seed, *SMALL_AREA, *extra, stdout=out)
    return out.getvalue()


def test_entitled_persons_of_every_kind_with_their_soldiers(db):
    output = _seed("--entitled", "80")
    others = Veteran.objects.exclude(person_kind=PersonKind.VETERAN).select_related("source_soldier")
    assert others.count() == 80
    assert "其他优抚对象 80 名" in output
    assert set(others.values_list("person_kind", flat=True)) == set(PersonKind.values) - {PersonKind.VETERAN}
    today = timezone.localdate()
    for person in others:
        validate_veteran(person, today=today)  # the services' own rules: ID number, dates, no service history
        categories = set(person.priority_care.values_list("category", flat=True))
        if person.person_kind == PersonKind.OTHER_ENTITLED:
            assert not SourceSoldier.objects.filter(person=person).exists()
            continue
        soldier = person.source_soldier
        validate_source_soldier(person, soldier, today=today)
        assert soldier.status == KIND_SOLDIER_STATUS[person.person_kind] and soldier.name and soldier.relation
        if person.person_kind == PersonKind.SERVING_FAMILY:
            assert (soldier.death_date, soldier.death_place, categories) == (None, "", set())
            assert not person.receives_regular_subsidy
            continue
        assert soldier.unit and soldier.death_date and soldier.death_place
        assert bool(soldier.certificate_number) == (person.person_kind == PersonKind.MARTYR_SURVIVOR)
        assert categories == {KIND_CATEGORY[person.person_kind]}
    assert others.filter(receives_regular_subsidy=True).exists()
    assert others.filter(receives_regular_subsidy=False).exists()
    assert others.values("street").distinct().count() == 3  # spread over the area
    assert others.filter(grid=Grid.objects.order_by("id").first()).count() >= 3  # the demo grid worker's
    # Due dates like everyone else's, and numbers no other file holds.
    assert not others.filter(visit_due_on__isnull=True).exists()
    hashes = list(Veteran.objects.values_list("id_number_hash", flat=True))
    assert len(hashes) == len(set(hashes))


def test_this_years_confirmation_round_has_confirmed_and_pending_recipients(db):
    output = _seed("--entitled", "80", "--visits", "900", "--confirmations")
    today = timezone.localdate()
    round_ = ConfirmationRound.objects.get(year=today.year)
    assert round_.district == District.objects.order_by("id").first()
    assert round_.deadline >= today  # still pending, not overdue: the daily job suspends nobody
    recipients = Veteran.objects.filter(eligible_q(), district=round_.district)
    rows = Confirmation.objects.filter(round=round_)
    assert rows.count() == recipients.count() > 10
    confirmed = rows.filter(status=ConfirmationStatus.CONFIRMED)
    assert confirmed.count() == round(recipients.count() * 0.6)
    assert f"已确认 {confirmed.count()} 人，待确认 {rows.count() - confirmed.count()} 人" in output
    # By a home or station visit of this year where the person had one, else in person at the station.
    this_year = Visit.objects.filter(
        veteran_id=OuterRef("veteran_id"), method__in=CONFIRMING_VISIT_METHODS, visited_at__year=today.year
    )
    assert not confirmed.filter(method=ConfirmationMethod.IN_PERSON).filter(Exists(this_year)).exists()
    assert confirmed.filter(method=ConfirmationMethod.IN_PERSON).exists()
    for confirmation in confirmed.filter(method=ConfirmationMethod.VISIT).select_related("visit"):
        assert confirmation.visit.veteran_id == confirmation.veteran_id
        assert timezone.localtime(confirmation.visit.visited_at).year == today.year
        assert confirmation.visit.method in CONFIRMING_VISIT_METHODS
    # Written through the service: each confirmation has its audit row.
    assert AuditEvent.objects.filter(object_type="confirmations.confirmation").count() == confirmed.count()
    totals = confirmation_totals(confirmation_figures(user=SYSTEM, year=today.year, day=today))
    assert totals == {
        "confirmed": confirmed.count(),
        "pending": rows.count() - confirmed.count(),
        "overdue": 0,
        "suspended": 0,
    }


def test_transfers_between_streets_in_every_state(db):
    output = _seed("--entitled", "40", "--transfers", "6")
    transfers = Transfer.objects.select_related("veteran")
    assert Counter(transfers.values_list("status", flat=True)) == {"pending": 3, "accepted": 2, "rejected": 1}
    assert "迁入迁出 6 笔（待接收 3，已接收 2，已退回 1）" in output
    first_street = Street.objects.order_by("id").first()
    for transfer in transfers:
        assert transfer.from_street_id != transfer.to_street_id
        assert first_street.pk in (transfer.from_street_id, transfer.to_street_id)  # the demo station's street
        # An accepted file has moved; a pending or rejected one is where it was.
        moved = transfer.status == TransferStatus.ACCEPTED
        assert transfer.veteran.grid_id == (transfer.to_grid_id if moved else transfer.from_grid_id)
        assert bool(transfer.reject_reason) == (transfer.status == TransferStatus.REJECTED)
        assert transfer.reason
    # The demo street station has transfers to decide and transfers of its own waiting.
    pending = transfers.filter(status=TransferStatus.PENDING)
    assert pending.filter(to_street=first_street).exists() and pending.filter(from_street=first_street).exists()


def test_near_duplicate_files_wait_in_the_review_queue(db):
    output = _seed("--near-duplicates", "4")
    pairs = DuplicatePair.objects.filter(status=PairStatus.PENDING).select_related("first", "second")
    assert pairs.count() >= 4
    assert f"疑似重复档案 {pairs.count()} 对" in output
    reasons = {reason for pair in pairs for reason in pair.reasons}
    assert reasons == {MatchReason.NAME_BIRTH, MatchReason.PINYIN_ID, MatchReason.PHONE}
    # Second files filed through the service (with their history), with valid and unique ID numbers.
    seconds = [pair.second for pair in pairs]
    assert VeteranChange.objects.filter(veteran__in=seconds, kind="create").count() == len(seconds)
    for pair in pairs:
        for person in (pair.first, pair.second):
            assert parse_id_number(person.id_number).birth_date == person.birth_date
        assert pair.first.id_number != pair.second.id_number
        assert pair.first.community_id == pair.second.community_id
    active = list(Veteran.objects.filter(removed_at__isnull=True).values_list("id_number_hash", flat=True))
    assert len(active) == len(set(active))
    first_street = Street.objects.order_by("id").first()
    assert pairs.filter(first__street=first_street, second__street=first_street).exists()  # the demo station's


NEW_DEMO_DATA = (
    "--entitled", "40", "--visits", "300", "--confirmations", "--transfers", "6", "--near-duplicates", "4",
    "--maps",
)  # fmt: skip


def _new_demo_data() -> dict:
    """What the new builders wrote, by natural keys (ids differ between runs on PostgreSQL)."""
    soldiers = SourceSoldier.objects.values_list(
        "person__id_number_hash",
        "name",
        "unit",
        "relation",
        "status",
        "death_date",
        "death_place",
        "certificate_number",
    )
    return {
        "files": sorted(
            Veteran.objects.values_list(
                "id_number_hash", "name", "person_kind", "grid__code", "receives_regular_subsidy", "removed_at"
            )
        ),
        "soldiers": sorted(soldiers),
        "confirmations": sorted(Confirmation.objects.values_list("veteran__id_number_hash", "status", "method")),
        "transfers": sorted(
            Transfer.objects.values_list(
                "veteran__id_number_hash", "from_grid__code", "to_grid__code", "status", "reason", "reject_reason"
            )
        ),
        "homes": sorted(
            HomePosition.objects.values_list("veteran__id_number_hash", "longitude", "latitude", "outside_grid")
        ),
        "pairs": sorted(
            (first, second, tuple(reasons), status)
            for first, second, reasons, status in DuplicatePair.objects.values_list(
                "first__id_number_hash", "second__id_number_hash", "reasons", "status"
            )
        ),
    }


class _RollBack(Exception):
    pass


def test_the_same_seed_gives_the_same_demo_data(db):
    try:
        with transaction.atomic():
            _seed(*NEW_DEMO_DATA, seed="7")
            first = _new_demo_data()
            raise _RollBack  # back to an empty database, then the same again
    except _RollBack:
        pass
    assert not Veteran.objects.exists()
    _seed(*NEW_DEMO_DATA, seed="7")
    assert _new_demo_data() == first
    assert all(first.values())


def test_an_existing_demo_gets_none_of_it_again_with_if_empty(db):
    _seed("--entitled", "10", "--transfers", "2")
    before = _new_demo_data()
    out = StringIO()
    call_command("seed_demo", "--if-empty", *SMALL_AREA, *NEW_DEMO_DATA, stdout=out)
    assert "跳过" in out.getvalue()
    assert _new_demo_data() == before


def test_the_demo_has_a_year_of_history_for_the_monthly_trends(db):
    import datetime
    from decimal import Decimal

    from assistance.models import HardshipCase
    from dashboard.selectors import monthly_trend

    _seed("--visits", "1500", "--cases", "40", "--appeals", "30", "--history")
    today = timezone.localdate()
    months, first = [], today.replace(day=1)
    for _ in range(12):
        months.insert(0, first.strftime("%Y-%m"))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    first = (first + datetime.timedelta(days=31)).replace(day=1)  # the oldest of the twelve
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    leader = get_user_model().objects.get(username="leader")

    trend = monthly_trend(user=leader, area=District.objects.get(), today=today)

    assert [row["month"] for row in trend] == months
    # Visits and payments add up to the ledgers' own, month by month.
    assert all(row["visits"] for row in trend[:-1])  # (this month may have begun today)
    assert sum(row["visits"] for row in trend) == Visit.objects.filter(visited_at__gte=start).count()
    paid = HardshipCase.objects.filter(paid_at__gte=start)
    assert sum(Decimal(row["paid"]) for row in trend) == sum(case.amount_approved for case in paid)
    assert sum(1 for row in trend if row["paid_cases"]) >= 4  # cases were paid in past months too
    assert len({row["coverage"] for row in trend}) > 1 and all(0 <= row["coverage"] <= 100 for row in trend)
    assert any(row["cases_open"] for row in trend[:-1]) and any(row["appeals_open"] for row in trend[:-1])
    for case in paid:  # a case paid in the past has its story in the past, in order
        steps = list(case.steps.order_by("at", "id").values_list("at", flat=True))
        assert case.reported_on <= timezone.localtime(steps[0]).date() and steps[-1] <= timezone.now()
        assert timezone.localtime(case.paid_at).date() >= case.reported_on
