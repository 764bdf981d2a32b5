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
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory, make_staff
from maps.demo import build_demo_maps
from merging.finder import pairs_find
from merging.models import DuplicatePair
from transfers.services import transfer_start
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from visits.services import campaign_create, grid_activity_record, must_visit_event_report, visit_record
from wishes.tests.factories import make_wish

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
    build_demo_maps(seed=1)  # boundaries of every area and a home for every person
    return {"station": station, "worker": worker, "district": cashier, "rows": rows}


# Path segment of each resource → the body field name its id goes by (and the scene's key).
RESOURCE_OF_PATH = {
    "veterans": "veteran", "grids": "grid", "visits": "visit", "activities": "activity",
    "must-visit-events": "must-visit-event", "cases": "case", "funds": "fund", "fund-entries": "fund-entry",
    "wishes": "wish", "appeals": "appeal", "appeal-categories": "appeal-category",
    "transfers": "transfer",
    "duplicate-pairs": "duplicate-pair",
    "confirmations": "confirmation",
}  # fmt: skip


def _pick(candidates: list[int], generated):
    if isinstance(generated, int) and not isinstance(generated, bool) and candidates:
        return candidates[generated % len(candidates)]
    return generated


def _aim_at_real_rows(case, rows: dict[str, list[int]]) -> None:
    if case.path_parameters and "id" in case.path_parameters:
        resource = RESOURCE_OF_PATH[case.path.split("/")[2]]
        case.path_parameters["id"] = _pick(rows[resource], case.path_parameters["id"])
    if isinstance(case.query, dict) and case.path.startswith("/api/map/"):
        for name, value in list(case.query.items()):
            if name in rows:
                case.query[name] = _pick(rows[name], value)
    if isinstance(case.body, dict):
        for name, value in list(case.body.items()):
            if name in rows:
                case.body[name] = _pick(rows[name], value)


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
