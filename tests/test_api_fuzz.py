"""Schemathesis over every operation of the OpenAPI schema (/api/schema/), in-process through the
WSGI application, signed in (session cookie + CSRF token, as the pages do) as a station staff
member, as a grid worker and as the district's service center staff (who alone reach the district
fund's ledger and its traces), with data in and out of their scope.

Each response must not be a 5xx, must carry a status code the schema documents, and its body must
match the schema. Writes are fuzzed too; every test runs in its own rolled-back transaction.

25 examples per operation and user keep the module near a minute and a half; FUZZ_MAX_EXAMPLES=200 digs
deeper (the data Hypothesis draws is derandomized: the same run every time).

Generated ids rarely name a row, so ids in the path and in bodies are mapped onto the scene's real
rows (the generated number picks which): the fuzzer then reaches the services, and also asks for
rows of another grid or street, which must answer 404/400, not 500.
"""

import datetime
import os
import secrets
from decimal import Decimal
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from appeals.models import AppealCategory
from appeals.services import appeal_open
from assistance.models import ReliefFund
from assistance.services import case_open, case_step, fund_receive
from assistance.tests.factories import CaseTypeFactory
from config.wsgi import application
from confirmations.models import Confirmation
from confirmations.services import confirmation_round_open
from employment.models import JobFair
from employment.services import employment_profile_register, job_fair_save, job_referral_create
from employment.tests.factories import make_employer
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory, make_staff
from honours.services import merit_notice_receive, nomination_add, selection_open
from maps.demo import build_demo_maps
from merging.finder import pairs_find
from merging.models import DuplicatePair
from pairing.models import Pair
from pairing.services import pair_contact_record, pair_start
from party.tests.fuzz import add_party_rows
from projects.models import ServiceItem
from projects.services import need_record, project_deliver, project_propose, project_review
from referrals.tests.factories import make_provider, make_referral, make_team, make_volunteer
from training.services import course_create, enrolment_create, provider_save
from transfers.services import transfer_start
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from visits.services import campaign_create, grid_activity_record, must_visit_event_report, visit_record
from wishes.tests.factories import make_wish

DAY = datetime.timedelta(days=1)
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
# Fuzzing (valid and invalid input) only: the coverage phase sends every boundary case of every
# field, about 500 requests for one veteran PUT, which no test suite on two cores can afford.
schema.config.phases.update(phases=["examples", "fuzzing"])

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _one_connection_per_test(settings, tmp_path):
    """The WSGI handler closes "old" connections around each request; the test client does not,
    and neither may we: the test's transaction lives on that connection."""
    settings.MEDIA_ROOT = tmp_path / "media"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end; each test runs in a
    savepoint inside it (pytest-django's `db`), so what one test writes, the next never sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_scene()
        transaction.set_rollback(True)


def _build_scene():
    """Two users of street a and rows of every kind: in the worker's grid, in another grid of
    the same street (the station sees it, the worker does not) and in street b (neither does)."""
    tree = {"street_a": StreetFactory(name="甲街道")}
    tree["district"] = tree["street_a"].district
    tree["street_b"] = StreetFactory(district=tree["district"], name="乙街道")
    community_a1 = CommunityFactory(street=tree["street_a"], name="a1社区")
    tree["grid_a11"] = GridFactory(community=community_a1, name="a1-1网格")
    tree["grid_a12"] = GridFactory(community=community_a1, name="a1-2网格")
    tree["grid_b11"] = GridFactory(community=CommunityFactory(street=tree["street_b"]), name="b1-1网格")
    today = timezone.localdate()
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    worker = make_staff(grids=[tree["grid_a11"]])
    station_b = make_staff(tree["street_b"], role=Role.STATION_STAFF)
    worker_b = make_staff(grids=[tree["grid_b11"]])
    cashier = make_staff(tree["district"], role=Role.STATION_STAFF)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    rows: dict[str, list[int]] = {}
    veterans = [
        make_veteran(tree["grid_a11"], name="王德顺", categories=[("korean_war", None)]),
        make_veteran(tree["grid_a12"], name="李长青"),
        make_veteran(tree["grid_b11"], name="赵振华"),
    ]
    rows["veteran"] = [v.pk for v in veterans]
    rows["grid"] = [tree["grid_a11"].pk, tree["grid_a12"].pk, tree["grid_b11"].pk]
    rows["paired_staff"] = [worker.staff_profile.pk, station.staff_profile.pk, worker_b.staff_profile.pk]
    rows["handler"] = [worker.pk, station.pk, worker_b.pk]
    campaign = campaign_create(
        name="八一慰问",
        kind="army_day",
        target="all",
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5),
        area=tree["street_a"],
        acting_user=station,
    )
    rows["campaign"] = [campaign.pk]
    visits = [
        visit_record(veteran=veterans[0], method="home", acting_user=worker, campaign=campaign)[0],
        visit_record(veteran=veterans[2], method="phone", acting_user=worker_b)[0],
    ]
    rows["visit"] = [v.pk for v in visits]
    rows["activity"] = [
        grid_activity_record(
            grid=grid, held_on=today, kind="lecture", title="座谈", participants=5, acting_user=user
        ).pk
        for grid, user in ((tree["grid_a11"], worker), (tree["grid_b11"], worker_b))
    ]
    rows["must-visit-event"] = [
        must_visit_event_report(veteran=veteran, kind="hospital", occurred_on=today, acting_user=user).pk
        for veteran, user in ((veterans[0], worker), (veterans[2], worker_b))
    ]
    case_type = CaseTypeFactory(
        name="模糊测试救助", min_amount=Decimal("100"), yearly_cap=Decimal("20000"), special_ceiling=Decimal("30000")
    )
    rows["case_type"] = [case_type.pk]
    opened = dict(description="住院", reported_on=today, amount_requested="1500", case_type=case_type)
    cases = [
        case_open(veteran=veteran, acting_user=user, **opened)
        for veteran, user in ((veterans[0], worker), (veterans[1], station), (veterans[2], worker_b))
    ]
    case_step(case=cases[1], action="submit", acting_user=station)
    fund = ReliefFund.objects.create(name="和平区帮扶基金", level="district", district=tree["district"])
    entry = fund_receive(fund=fund, kind="allocation", amount="50000", acting_user=cashier)
    # A paid case: the allocation's trace then names a payment and a case.
    paid = case_open(veteran=veterans[1], acting_user=station, **opened)
    for action, user in (("submit", station), ("review", cashier), ("approve", leader)):
        paid = case_step(case=paid, action=action, acting_user=user)
    case_step(case=paid, action="pay", acting_user=cashier, fund=fund)
    rows["case"] = [c.pk for c in (*cases, paid)]
    rows["fund"] = [fund.pk]
    rows["fund-entry"] = [entry.pk]
    category = AppealCategory.objects.filter(active=True).order_by("pk").first()
    rows["category"] = [category.pk]
    rows["appeal-category"] = [category.pk]
    taken_in = dict(category=category, channel="phone", subject="优待证", content="咨询", received_on=today)
    rows["appeal"] = [
        appeal_open(veteran=veteran, acting_user=user, **taken_in).pk
        for veteran, user in ((veterans[0], worker), (veterans[2], worker_b))
    ]
    people = {"worker": worker, "worker_b": worker_b, "station": station, "station_b": station_b}
    rows["wish"] = [
        make_wish(veterans[0], people, upto="collected").pk,
        make_wish(veterans[0], people, upto="claimed", title="助听器").pk,
        make_wish(veterans[2], people, upto="published").pk,
    ]
    rows["transfer"] = [
        transfer_start(veteran=veterans[1], to_grid=tree["grid_b11"], reason="随子女", acting_user=station).pk,
        transfer_start(veteran=veterans[2], to_grid=tree["grid_a12"], reason="回迁", acting_user=station_b).pk,
    ]
    rows["to_grid"] = rows["grid"]
    # Second files of two of them (same name and birth date): a pair in scope and one outside.
    twins = [make_veteran(tree["grid_a11"], name="王德顺"), make_veteran(tree["grid_b11"], name="赵振华")]
    pairs_find(acting_user=SYSTEM)
    rows["duplicate-pair"] = list(DuplicatePair.objects.order_by("pk").values_list("pk", flat=True))
    rows["survivor"] = [veterans[0].pk, twins[0].pk, veterans[2].pk]
    # Annual confirmation: two recipients of a regular subsidy, one each side.
    Veteran.objects.filter(pk__in=[veterans[0].pk, veterans[2].pk]).update(receives_regular_subsidy=True)
    confirmation_round_open(district=tree["district"], year=today.year, acting_user=SYSTEM)
    rows["confirmation"] = sorted(Confirmation.objects.values_list("pk", flat=True))
    # The district's list and referrals, one each side of the worker's grid.
    team = make_team(tree["district"], acting_user=cashier)
    rows["team"] = rows["volunteer-team"] = [team.pk]
    rows["volunteer"] = [make_volunteer(team, acting_user=cashier).pk]
    provider = make_provider(tree["district"], acting_user=cashier)
    rows["provider"] = [provider.pk]
    rows["district"] = [tree["district"].pk]
    rows["referral"] = [
        make_referral(veteran, provider, by=user, referred_on=today).pk
        for veteran, user in ((veterans[0], worker), (veterans[2], worker_b))
    ]
    # Honours: a round taking nominations, a nominee each side, and a notice each side.
    selection = selection_open(
        district=tree["district"], name="最美退役军人", kind="most_beautiful", level="district", year=today.year,
        nomination_deadline=today + datetime.timedelta(days=30), acting_user=cashier,
    )  # fmt: skip
    rows["district"], rows["selection"] = [tree["district"].pk], [selection.pk]
    rows["nomination"] = [
        nomination_add(selection=selection, veteran=veteran, nominated_by="社区", reason="事迹", acting_user=user).pk
        for veteran, user in ((veterans[0], station), (veterans[2], station_b))
    ]
    rows["family"] = [veterans[1].pk, veterans[2].pk]
    rows["merit-notice"] = [
        merit_notice_receive(
            family=veteran, soldier_name="王小兵", unit="某部", merit_kind="commendation", received_on=today,
            acting_user=user,
        ).pk
        for veteran, user in ((veterans[1], station), (veterans[2], station_b))
    ]  # fmt: skip
    # Skills training: the district's provider and course; enrolments in the worker's grid and in street b.
    provider = provider_save(name="区职业技术学校", kind="school", district=tree["district"], acting_user=cashier)
    course = course_create(
        provider=provider, title="电工培训", trade="电工", district=tree["district"], starts_on=today - 3 * DAY,
        ends_on=today + 10 * DAY, enrol_deadline=today + 5 * DAY, places=10, acting_user=cashier,
    )  # fmt: skip
    # Their own keys: "provider" is the referrals' (a training provider's id under
    # /api/providers/ would only ever be fuzzed as not found).
    rows["training-provider"] = [provider.pk]
    rows["training-course"] = [course.pk]
    rows["training-enrolment"] = [
        enrolment_create(course=course, veteran=veteran, enrolled_on=today, acting_user=SYSTEM).pk
        for veteran in (veterans[0], veterans[2])
    ]
    rows.update(_employment_rows(tree, veterans, station, station_b, today))
    add_party_rows(rows, tree=tree, people={"station": station, "worker": worker, "station_b": station_b})
    _service_projects(
        rows, veterans, worker=worker, worker_b=worker_b, station=station, station_b=station_b, cashier=cashier
    )
    rows["partner_user"] = [worker.pk, station.pk, worker_b.pk]
    paired = dict(partner_kind="cadre", partner_name="刘干部", started_on=today)
    rows["pair"] = [
        pair_start(veteran=veteran, acting_user=user, **paired).pk
        for veteran, user in ((veterans[0], station), (veterans[2], station_b))
    ]
    rows["pairing"] = rows["pair"]
    rows["pair-contact"] = [
        pair_contact_record(pair=Pair.objects.get(pk=pk), contacted_on=today, acting_user=user).pk
        for pk, user in zip(rows["pair"], (worker, worker_b), strict=True)
    ]
    build_demo_maps(seed=1)  # boundaries of every area and a home for every person
    return {"station": station, "worker": worker, "district": cashier, "rows": rows}


def _employment_rows(tree, veterans, station, station_b, today) -> dict[str, list[int]]:
    """Registry lines, employers (this district and another), a referral each side, a fair."""
    profiles = [
        employment_profile_register(person=person, status="retired", status_since=today, acting_user=user)
        for person, user in ((veterans[0], station), (veterans[1], station), (veterans[2], station_b))
    ]
    employers = [
        make_employer(tree["district"], name="老兵物流"),
        make_employer(GridFactory().district, name="外区企业"),
    ]
    referrals = [
        job_referral_create(person=person, employer=employers[0], position="仓管", referred_on=today, acting_user=user)
        for person, user in ((veterans[0], station), (veterans[2], station_b))
    ]
    fair = job_fair_save(
        fair=JobFair(name="专场招聘会", held_on=today, place="县城", district=tree["district"]), acting_user=SYSTEM
    )
    return {
        "employment": [p.pk for p in profiles],
        "employer": [e.pk for e in employers],
        "job-referral": [r.pk for r in referrals],
        "job-fair": [fair.pk],
        "person": [v.pk for v in veterans],
    }


def _service_projects(rows, veterans, *, worker, worker_b, station, station_b, cashier) -> None:
    """Service projects (1555): a catalogue item, a need each side, a project waiting for review,
    one delivered (its deliveries to rate) and one in street b."""
    today = timezone.localdate()
    item = ServiceItem.objects.create(name="模糊测试上门服务", level="town", category="daily_life")
    rows["service-item"] = rows["item"] = [item.pk]
    need = dict(description="上门理发", source="visit", recorded_on=today)
    rows["service-need"] = [
        need_record(person=veterans[0], acting_user=worker, **need).pk,
        need_record(person=veterans[2], acting_user=worker_b, **need).pk,
    ]
    waiting = project_propose(title="上门理发", people=[veterans[0]], proposed_on=today, acting_user=station)
    delivered = project_propose(title="体检", people=[veterans[1]], proposed_on=today, acting_user=station)
    project_review(project=delivered, approve=True, reviewed_on=today, acting_user=cashier)
    project_deliver(project=delivered, delivered_on=today, delivered_by="卫生院", cost="10", acting_user=station)
    theirs = project_propose(title="法律咨询", people=[veterans[2]], proposed_on=today, acting_user=station_b)
    rows["service-project"] = [waiting.pk, delivered.pk, theirs.pk]
    rows["delivery"] = list(delivered.deliveries.values_list("pk", flat=True))
    rows["person"] = rows["veteran"]


# Path segment of each resource → the body field name its id goes by (and the scene's key).
RESOURCE_OF_PATH = {
    "veterans": "veteran", "grids": "grid", "visits": "visit", "activities": "activity",
    "must-visit-events": "must-visit-event", "cases": "case", "funds": "fund", "fund-entries": "fund-entry",
    "wishes": "wish", "appeals": "appeal", "appeal-categories": "appeal-category",
    "transfers": "transfer",
    "duplicate-pairs": "duplicate-pair",
    "confirmations": "confirmation",
    "referrals": "referral", "providers": "provider", "volunteer-teams": "volunteer-team", "volunteers": "volunteer",
    "selections": "selection", "nominations": "nomination", "merit-notices": "merit-notice",
    "trainings": "training-course", "training-enrolments": "training-enrolment",
    "training-providers": "training-provider",
    "employment": "employment", "employers": "employer", "job-referrals": "job-referral", "job-fairs": "job-fair",
    "party-organisations": "party-organisation", "party-memberships": "party-membership",
    "party-follow-ups": "party-follow-up",
    "service-projects": "service-project", "service-needs": "service-need", "service-items": "service-item",
    "pairings": "pairing", "pair-contacts": "pair-contact",
}  # fmt: skip


# Body fields named alike in two apps: under these paths a field's id comes from the app's own
# key when there is one (a course's "provider" is a training provider, an enrolment's "course"
# a training course), else from the shared one ("veteran").
FIELD_KEY_PREFIX = {"trainings": "training-", "training-enrolments": "training-", "training-providers": "training-"}


def _pick(candidates: list[int], generated):
    if isinstance(generated, int) and not isinstance(generated, bool) and candidates:
        return candidates[generated % len(candidates)]
    return generated


def _aim_at_real_rows(case, rows: dict[str, list[int]]) -> None:
    segment = case.path.split("/")[2]
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters["id"] = _pick(rows[RESOURCE_OF_PATH[segment]], case.path_parameters["id"])
    if isinstance(case.query, dict) and case.path.startswith("/api/map/"):
        for name, value in list(case.query.items()):
            if name in rows:
                case.query[name] = _pick(rows[name], value)
    if isinstance(case.body, dict):
        for name, value in list(case.body.items()):
            key = FIELD_KEY_PREFIX.get(segment, "") + name
            key = key if key in rows else name
            if key in rows:
                case.body[name] = _pick(rows[key], value)


@pytest.fixture(params=["station", "worker", "district"])
def signed_in(request, scene, db):
    """Cookies and headers of a logged-in browser: the session, and a CSRF token sent back."""
    client = Client()
    client.force_login(scene[request.param])
    token = secrets.token_hex(16)  # 32 characters: Django accepts an unmasked secret
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


@schema.parametrize()
@settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture]
)
def test_api_answers_every_generated_request_by_its_schema(case, scene, signed_in):
    _aim_at_real_rows(case, scene["rows"])
    case.call_and_validate(**signed_in, checks=CHECKS)


def test_each_app_aims_at_its_own_providers_and_courses():
    rows = {"provider": [11], "training-provider": [21], "training-course": [22], "veteran": [31]}
    providers = SimpleNamespace(path="/api/providers/{id}/", path_parameters={"id": 0}, query={}, body=None)
    referral = SimpleNamespace(path="/api/referrals/", path_parameters={}, query={}, body={"provider": 5})
    course = SimpleNamespace(path="/api/trainings/", path_parameters={}, query={}, body={"provider": 5})
    enrolment = SimpleNamespace(
        path="/api/training-enrolments/", path_parameters={}, query={}, body={"course": 5, "veteran": 5}
    )
    for case in (providers, referral, course, enrolment):
        _aim_at_real_rows(case, rows)
    assert providers.path_parameters["id"] == 11 and referral.body["provider"] == 11
    assert course.body["provider"] == 21 and enrolment.body == {"course": 22, "veteran": 31}
