import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from dashboard.figures import area_board
from dashboard.models import GridSnapshot
from dashboard.snapshots import snapshot_take
from dashboard.tasks import take_daily_snapshot
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def test_district_figures_are_hand_counted(tree, city):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    board = area_board(user=leader, area=tree["district"])
    total = board.total
    assert total.veterans == 5  # the deceased one is not counted
    assert (total.age_80_plus, total.party_members, total.party_pocket, total.party_mobile) == (2, 2, 1, 1)
    assert (total.priority_total, total.by_priority) == (2, {"korean_war": 1, "disabled": 1, "war_or_nuclear_test": 1})
    assert (total.overdue, total.covered, total.coverage_rate) == (2, 3, 60.0)
    assert (total.plaques, total.by_type["retired_nco"], total.by_type["discharged_soldier"]) == (1, 1, 4)
    rows = {area.name: figures for area, figures in board.rows}
    assert (rows["甲街道"].veterans, rows["乙街道"].veterans) == (3, 2)
    assert (rows["甲街道"].overdue, rows["乙街道"].overdue) == (1, 1)


def test_a_street_sees_only_itself_through_page_and_links(client, tree, city):
    staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client.force_login(staff)
    page = client.get(reverse("dashboard:board"))
    body = page.content.decode()
    assert page.status_code == 200 and "a1社区" in body and "b1社区" not in body and "乙街道" not in body
    other = tree["street_b"]
    assert client.get(reverse("dashboard:board"), {"level": "street", "id": other.pk}).status_code == 404
    assert client.get(reverse("dashboard:board"), {"level": "district", "id": tree["district"].pk}).status_code == 404
    community = tree["community_b1"]
    assert client.get(reverse("dashboard:board"), {"level": "community", "id": community.pk}).status_code == 404
    # the number links lead to scoped lists: a sibling street's list shows nothing of it
    listing = client.get(reverse("admin:veterans_veteran_changelist"), {"street": other.pk})
    assert listing.status_code == 200 and not listing.context["cl"].queryset.exists()


def test_drill_down_to_a_grid_and_the_numbers_link_to_matching_lists(client, tree, city):
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    grid = tree["grid_a11"]
    body = client.get(reverse("dashboard:board"), {"level": "grid", "id": grid.pk}).content.decode()
    assert "a1-1网格" in body and f"?grid={grid.pk}&amp;life_status__exact=alive&amp;visit=overdue" in body
    listing = client.get(reverse("admin:veterans_veteran_changelist"), {"grid": grid.pk, "visit": "overdue"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [city["korean_war"]]


def test_grid_workers_have_no_dashboard(client, tree):
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(reverse("dashboard:board")).status_code == 403


def test_snapshot_and_live_figures_agree_on_the_same_data(tree, city, cast, busy):
    from django.db.models import DecimalField, PositiveIntegerField

    from dashboard.snapshots import DAY_FIELDS, STATE_FIELDS

    today = timezone.localdate()
    assert snapshot_take(day=today) == 8  # every grid, with or without veterans
    stored_fields = {f.name for f in GridSnapshot._meta.fields if isinstance(f, (PositiveIntegerField, DecimalField))}
    assert stored_fields == set(STATE_FIELDS) | set(DAY_FIELDS)  # a new column must be compared here too
    for area, live in area_board(user=cast["leader"], area=tree["district"]).rows:
        stored = GridSnapshot.objects.filter(street=area, day=today)
        sums = {name: sum(getattr(s, name) for s in stored) for name in stored_fields}
        assert {name: sums[name] for name in STATE_FIELDS} == {name: getattr(live, name) for name in STATE_FIELDS}
        # This week's visits and this year's payments of the fixture all happened today.
        assert (sums["visits"], sums["paid_cases"], sums["paid_amount"], sums["days_to_payment_sum"]) == (
            live.visits_week,
            live.paid_cases,
            live.paid_amount,
            sum(live.days_to_payment),
        )
    district = GridSnapshot.objects.filter(day=today)
    totals = {name: sum(getattr(s, name) for s in district) for name in ("visits", "paid_amount", "appeals_open")}
    assert totals == {"visits": 3, "paid_amount": Decimal("9600.00"), "appeals_open": 2}  # hand-counted in `busy`
    assert sum(s.wishes_fulfilled for s in district) == 1 and sum(s.major_contribution for s in district) == 2
    assert take_daily_snapshot.delay(today.isoformat()).get() == 8  # the Celery task, run again: replaced
    assert GridSnapshot.objects.filter(day=today).count() == 8


def test_trend_reads_the_snapshots(client, tree, city):
    today = timezone.localdate()
    snapshot_take(day=today)
    GridSnapshot.objects.filter(grid=tree["grid_a11"], day=today).update(visits=7, paid_amount=Decimal("8400"))
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    charts = client.get(reverse("dashboard:board")).context["charts"]
    assert charts["trend"][-1]["visits"] == 7 and charts["trend"][-1]["paid"] == "8400.00"
    assert charts["trend"][-1]["coverage"] == 60.0


def test_the_page_costs_a_fixed_number_of_queries(client, tree, city, django_assert_max_num_queries):
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    # Among them: the year's confirmation figures (1), moves per area (3) and the latest moves (1);
    # and what each help app's figure source costs (core.board_figures), whatever the area.
    from core.board_figures import figure_sources

    with django_assert_max_num_queries(27 + sum(source.queries for source in figure_sources())):
        assert client.get(reverse("dashboard:board")).status_code == 200


def test_statistics_api_matches_the_page_and_keeps_to_scope(tree, city):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    body = api.get("/api/statistics/").json()
    assert body["area"]["name"] == "甲街道" and body["area"]["figures"]["veterans"] == 3
    assert [row["name"] for row in body["children"]] == ["a1社区", "a2社区"]
    assert api.get("/api/statistics/", {"level": "street", "id": tree["street_b"].pk}).status_code == 404
    api.force_authenticate(make_staff(grids=[tree["grid_a11"]]))
    assert api.get("/api/statistics/").status_code == 403


def test_appeal_figures_count_open_overdue_and_in_time(client, tree, city):
    from appeals.models import AppealCategory
    from appeals.services import appeal_open, appeal_resolve

    today = timezone.localdate()
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    category = AppealCategory.objects.create(name="看板测试", kind="question", deadline_days=5)

    def take(person, received_on):
        return appeal_open(
            veteran=city[person],
            category=category,
            channel="phone",
            subject="s",
            content="c",
            received_on=received_on,
            acting_user=station,
        )

    take("old_member", today - datetime.timedelta(days=40))  # open and overdue
    take("korean_war", today)  # open, in time
    answered = take("young", today)
    appeal_resolve(appeal=answered, resolution="已答复", resolved_on=today, acting_user=station)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    board = area_board(user=leader, area=tree["district"])
    assert (board.total.appeals_open, board.total.appeals_overdue) == (2, 1)
    street_a = dict((child.pk, f) for child, f in board.rows)[tree["street_a"].pk]
    assert street_a.appeals_open == 2 and dict((c.pk, f) for c, f in board.rows)[tree["street_b"].pk].appeals_open == 0
    assert board.total.appeals_this_year == 3
    assert board.total.appeals_in_time_rate == Decimal("33.3")  # 1 of 3 on time
    client.force_login(leader)
    page = client.get(reverse("dashboard:board")).content.decode()
    assert "/admin/appeals/appeal/?district=" in page and "urgency=open" in page


def test_wish_figures_count_recorded_and_fulfilled_wishes_not_cancelled(tree, city):
    from wishes.tests.factories import make_wish

    people = {
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station_b": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "worker_b": make_staff(grids=[tree["grid_b11"]]),
    }
    make_wish(city["korean_war"], people, upto="confirmed")
    make_wish(city["old_member"], people, upto="published")
    make_wish(city["b_member"], people, upto="cancelled")
    board = area_board(user=make_staff(tree["district"], role=Role.BUREAU_LEADER), area=tree["district"])
    assert (board.total.wishes, board.total.wishes_fulfilled) == (2, 1)
    street_b = dict((child.pk, f) for child, f in board.rows)[tree["street_b"].pk]
    assert street_b.wishes == 0


def test_campaign_coverage_counts_the_target_group_inside_the_viewed_area(client, tree, city):
    from visits.services import campaign_create, visit_record

    today = timezone.localdate()
    station = make_staff(tree["district"], role=Role.STATION_STAFF)
    campaign = campaign_create(
        name="春节慰问",
        kind="spring_festival",
        target="all",
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5),
        area=tree["district"],
        acting_user=station,
    )
    worker = make_staff(grids=[tree["grid_a11"]])
    visit_record(veteran=city["korean_war"], acting_user=worker, method="home", kind="campaign", campaign=campaign)
    visit_record(veteran=city["old_member"], acting_user=worker, method="home")  # not under the campaign
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    client.force_login(leader)
    rows = client.get(reverse("dashboard:board")).context["campaigns"]
    # Five living veterans in the district (b_gone is deceased); one visited under the campaign.
    assert [(r.campaign.name, r.targeted, r.visited, r.share) for r in rows] == [("春节慰问", 5, 1, 20.0)]
    street_b = client.get(reverse("dashboard:board"), {"level": "street", "id": tree["street_b"].pk})
    assert [(r.targeted, r.visited) for r in street_b.context["campaigns"]] == [(2, 0)]
    api = client.get(reverse("api-statistics"))
    assert api.json()["campaigns"][0]["visited"] == 1


def test_district_figures_are_kept_for_a_minute_and_warmed_by_the_beat_job(tree, city, django_assert_num_queries):
    from django.core.cache import cache

    from dashboard.figures import board_for
    from dashboard.tasks import warm_dashboard

    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    first = board_for(user=leader, area=tree["district"])
    make_veteran(tree["grid_a11"], name="新登记")
    with django_assert_num_queries(0):
        assert board_for(user=leader, area=tree["district"]).total.veterans == first.total.veterans
    street_before = first.total.veterans
    assert board_for(user=leader, area=tree["street_a"]).total.veterans == 4
    cache.clear()
    assert warm_dashboard.apply().get() == 4  # the city, the one district and its two streets
    with django_assert_num_queries(0):
        assert board_for(user=leader, area=tree["district"]).total.veterans == street_before + 1
        assert board_for(user=leader, area=tree["street_b"]).total.veterans == 2
    # A community is small: counted live on every request.
    before = board_for(user=leader, area=tree["community_a1"]).total.veterans
    make_veteran(tree["grid_a11"], name="又一位")
    assert board_for(user=leader, area=tree["community_a1"]).total.veterans == before + 1


def _comparable(figures):
    from dataclasses import asdict

    return {**asdict(figures), "days_to_payment": sorted(figures.days_to_payment)}


def test_warmed_boards_are_the_live_boards(tree, city, cast, busy):
    """The beat job adds up community rows into city, district and street boards: every figure
    and every child row must be what counting the area live gives."""
    from django.core.cache import cache

    from dashboard.figures import _board_key, warm_boards
    from grids.models import the_city

    warm_boards()
    today = timezone.localdate()
    for area in (the_city(), tree["district"], tree["street_a"], tree["street_b"]):
        warmed, live = cache.get(_board_key(area, today)), area_board(user=SYSTEM, area=area, today=today)
        assert (warmed.level, warmed.child_level) == (live.level, live.child_level)
        assert _comparable(warmed.total) == _comparable(live.total)
        assert [(child.pk, _comparable(f)) for child, f in warmed.rows] == [
            (child.pk, _comparable(f)) for child, f in live.rows
        ]
    assert cache.get(_board_key(tree["district"], today)).total.paid_amount == Decimal("9600.00")


def test_busy_district_figures_are_hand_counted(tree, city, cast, busy):
    board = area_board(user=cast["leader"], area=tree["district"])
    total = board.total
    assert (total.hardship, total.major_contribution, total.merit_awards) == (2, 2, 2)
    assert (total.complete, total.filing_rate, total.average_completeness) == (2, 40.0, 80.0)
    assert (total.visits_week, total.visits_month) == (3, 3)  # the visit 40 days ago is in neither
    assert (total.cases_open, total.cases_overdue) == (2, 1)  # the draft is not open yet
    assert (total.paid_cases, total.paid_amount, total.median_days_to_payment) == (2, Decimal("9600.00"), 4.0)
    rows = {area.name: figures for area, figures in board.rows}
    street_a, street_b = rows["甲街道"], rows["乙街道"]
    assert (street_a.hardship, street_a.major_contribution, street_a.merit_awards) == (1, 2, 2)
    assert (street_b.hardship, street_b.major_contribution, street_b.merit_awards) == (1, 0, 0)
    assert (street_a.visits_week, street_b.visits_week) == (2, 1)
    assert (street_a.cases_open, street_a.cases_overdue, street_b.cases_open) == (2, 1, 0)
    assert (street_a.paid_amount, street_a.median_days_to_payment) == (Decimal("8400.00"), 5)
    assert (street_b.paid_amount, street_b.median_days_to_payment) == (Decimal("1200.00"), 3)
    assert (street_a.complete, street_a.average_completeness, street_b.average_completeness) == (
        2,
        Decimal("83.3"),
        Decimal("75.0"),
    )


def test_a_fund_shows_what_it_raised_paid_and_has_left_after_payments(tree, city, cast, busy):
    from dashboard.figures import fund_board

    [row] = fund_board(user=cast["leader"], area=tree["street_a"])
    assert row.fund == busy["fund"]
    assert (row.raised, row.paid, row.left) == (Decimal("105000.00"), Decimal("9600.00"), Decimal("95400.00"))
    busy["fund"].refresh_from_db()
    assert busy["fund"].balance == row.left


def test_visits_this_week_count_from_monday_and_this_month_from_the_first(tree, city, cast):
    from visits.services import visit_record

    def at(day, hour, minute=0):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    wednesday = datetime.date(2025, 3, 12)
    for visited_at in (
        at(wednesday, 9),  # week and month
        at(datetime.date(2025, 3, 10), 0, 5),  # Monday just after midnight: week and month
        at(datetime.date(2025, 3, 9), 23, 55),  # Sunday before: month only
        at(datetime.date(2025, 3, 1), 0, 1),  # the first: month only
        at(datetime.date(2025, 2, 28), 23, 59),  # last month: neither
    ):
        visit_record(veteran=city["korean_war"], acting_user=cast["worker"], method="home", visited_at=visited_at)
    total = area_board(user=cast["leader"], area=tree["district"], today=wednesday).total
    assert (total.visits_week, total.visits_month) == (2, 4)
    # A week that began last month: Monday 31 March is this week but not this month.
    visit_record(
        veteran=city["young"], acting_user=cast["worker"], method="home", visited_at=at(datetime.date(2025, 3, 31), 10)
    )
    total = area_board(user=cast["leader"], area=tree["district"], today=datetime.date(2025, 4, 2)).total
    assert (total.visits_week, total.visits_month) == (1, 0)


def test_more_rows_to_count_cost_no_more_queries(client, tree, city, cast, busy):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from visits.services import visit_record
    from wishes.tests.factories import make_wish

    client.force_login(cast["leader"])
    street = {"level": "street", "id": tree["street_a"].pk}

    def queries() -> int:
        cache.clear()  # counted live each time, not served from the minute's figures
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboard:board"), street).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    make_veteran(tree["grid_a21"], name="另一社区老兵", categories=[("disabled", 3)])
    visit_record(veteran=city["old_member"], acting_user=cast["worker"], method="home")
    people = {"station": cast["station"], "station_b": cast["station_b"], "worker": cast["worker"]}
    make_wish(city["young"], people, upto="claimed")
    assert queries() == before


def test_trend_reads_money_and_cases_paid_and_open_cases_from_the_snapshots(client, tree, city, cast, busy):
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    for day in (today, last_month_end, last_month_end - datetime.timedelta(days=1)):
        snapshot_take(day=day)
    last_month = GridSnapshot.objects.filter(day__lte=last_month_end)
    last_month.update(cases_open=0, appeals_open=0)
    mine = last_month.filter(grid=tree["grid_a11"])
    mine.filter(day=last_month_end).update(
        paid_cases=1, paid_amount=Decimal("1000"), days_to_payment_sum=6, cases_open=5, appeals_open=1
    )
    mine.exclude(day=last_month_end).update(
        paid_cases=1, paid_amount=Decimal("500"), days_to_payment_sum=2, cases_open=9
    )  # not the month's end: not read
    client.force_login(cast["leader"])
    trend = client.get(reverse("dashboard:board")).context["charts"]["trend"]
    earlier, now = trend[-2], trend[-1]
    assert (earlier["month"], now["month"]) == (last_month_end.strftime("%Y-%m"), today.strftime("%Y-%m"))
    assert (earlier["paid"], earlier["paid_cases"], earlier["days_to_payment"]) == ("1500.00", 2, 4.0)
    assert (earlier["cases_open"], earlier["appeals_open"]) == (5, 1)
    assert (now["paid"], now["paid_cases"], now["days_to_payment"]) == ("9600.00", 2, 4.0)  # 5 and 3 days
    assert (now["cases_open"], now["appeals_open"], now["visits"]) == (2, 2, 3)
