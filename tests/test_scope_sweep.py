"""The scope sweep: every URL of the site, as every role, aimed at objects the user has no scope
for. Object URLs must answer 403/404 (or send the user away: 302, 405) and never show the outside
veteran's name, ID number or phone; lists and dashboards must not show them either, whatever
query parameters point at the outside area; nothing outside may change, whatever the method.

The URL list is read from the resolver, so a new URL is covered the day it is added: a new URL
with a parameter fails here until its parameters are mapped below (or it is listed as reference
data with the reason)."""

import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from assistance.services import fund_create, fund_receive
from audit.models import AuditEvent
from grids.models import Role, the_city
from grids.tests.factories import CommunityFactory, GridFactory, StreetFactory, make_staff
from tests.sweep_world import build_outside
from veterans.exports import LEDGERS
from veterans.import_services import veteran_import_start
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from veterans.tests.xlsx_helpers import veteran_row, xlsx_file

REFUSED = {302, 403, 404, 405}
WRITE_METHODS = ("post", "patch", "put", "delete")

# Reference data every signed-in role may read and only the admin edits: not area data.
UNSCOPED_URLS = {
    "appeal-category-detail": "诉求类别是全区通用的字典数据",
    "admin:app_list": "an app's index lists models, not rows",
    "service-item-detail": "服务清单是全区通用的政策数据",
}
UNSCOPED_ADMIN_MODELS = {
    "auth.group": "roles are groups, the same everywhere",
    "django_celery_beat.periodictask": "schedules, no personal data",
    "django_celery_beat.clockedschedule": "schedules",
    "django_celery_beat.crontabschedule": "schedules",
    "django_celery_beat.solarschedule": "schedules",
    "django_celery_beat.intervalschedule": "schedules",
    "axes.accessattempt": "login attempts: the system admin's, city-wide by design",
    "axes.accesslog": "login log: the system admin's, city-wide by design",
    "axes.accessfailurelog": "login failures: the system admin's, city-wide by design",
    "visits.visitpolicy": "visit intervals per care group, city-wide policy",
    "assistance.casetype": "case types and their caps are policy data",
    "appeals.appealcategory": "appeal categories are policy data",
    "projects.serviceitem": "the service catalogue is policy data",
}
# Never sent: they end the session the sweep is using, or only switch the language.
SKIPPED_URLS = {"logout", "set_language", "admin:logout"}
# Pages without area data (the schema, the login form): fetched once, without hostile queries.
STATIC_URLS = {"api-schema", "api-docs", "api-redoc", "healthz", "login", "api-root"}
SKIPPED_ROUTES = {"admin/(?P<url>.*)$": "admin's catch-all: unknown admin paths redirect or 404"}

# URL name → the world's object behind its parameter.
OBJECT_FOR_URL = {
    "mobile:card": "veteran", "mobile:reveal_phone": "veteran", "mobile:visit": "veteran",
    "mobile:event": "veteran", "mobile:hardship": "veteran", "mobile:case": "case", "mobile:case_action": "case",
    "appeals_mobile:new": "veteran", "appeals_mobile:detail": "appeal", "appeals_mobile:action": "appeal",
    "wishes_mobile:new": "veteran", "wishes_mobile:detail": "wish", "wishes_mobile:fulfil": "wish",
    "assistance:case": "case", "assistance:step": "case", "assistance:upload": "case",
    "assistance:attachment": "attachment", "assistance:receipt": "entry",
    "appeals:detail": "appeal", "appeals:step": "appeal", "confirmations_mobile:confirm": "veteran",
    "wishes:detail": "wish", "wishes:step": "wish", "wishes:photo": "wish",
    "exports:job": "export_job", "exports:progress": "export_job", "exports:download": "export_job",
    "dashboard:export": "export", "dashboard:export_progress": "export", "dashboard:export_download": "export",
    "admin:veterans_import_detail": "import", "admin:veterans_import_progress": "import",
    "admin:veterans_import_confirm": "import", "admin:auth_user_password_change": "worker",
    "grid-detail": "grid", "visit-detail": "visit", "activity-detail": "activity",
    "must-visit-event-detail": "event", "fund-detail": "fund",
    "offline:contact": "veteran", "offline:resolve": "conflict", "veteran_photo": "veteran",
    "printing:archive": "veteran", "printing:receipt": "entry", "printing:notice": "case",
    "printing:batch": "print_batch", "printing:batch_progress": "print_batch",
    "printing:batch_download": "print_batch",
    "referrals:detail": "referral", "referrals:step": "referral", "referrals_mobile:new": "veteran",
    "referrals_mobile:detail": "referral", "referrals_mobile:action": "referral",
    "honours_mobile:deliver": "veteran", "honours:notice_photo": "merit_notice",
    "training_mobile:enrol": "veteran",
    "employment_mobile:visit": "veteran",
    "party:followup": "party_followup", "party:followup_step": "party_followup", "party_mobile:contact": "veteran",
    "projects_mobile:need": "veteran", "projects_mobile:rate": "veteran",
    "admin:projects_serviceproject_step": "service_project",
    "pairing_mobile:contact": "veteran",
}  # fmt: skip
OBJECT_FOR_API_PREFIX = {
    "veteran-": "veteran", "case-": "case", "fund-entry-": "entry", "wish-": "wish", "appeal-": "appeal",
    "transfer-": "transfer",
    "duplicate-pair-": "pair",
    "confirmation-": "confirmation",
    "referral-": "referral", "provider-": "provider", "volunteer-team-": "team", "volunteer-": "volunteer",
    "selection-": "selection", "nomination-": "nomination", "merit-notice-": "merit_notice",
    "training-course-": "training_course", "training-enrolment-": "training_enrolment",
    "training-provider-": "training_provider",
    "employment-profile-": "employment_profile", "employer-": "employer", "job-referral-": "job_referral",
    "job-fair-": "job_fair",
    "party-organisation-": "party_organisation", "party-membership-": "party_membership",
    "party-follow-up-": "party_followup",
    "service-project-": "service_project", "service-need-": "service_need",
    "pairing-": "pairing", "pair-contact-": "pair_contact",
}  # fmt: skip
# Lists whose parameter names which list (not an object): every value is swept as a list.
LIST_SLUGS = {"veteran_ledger": lambda: sorted(LEDGERS)}
# Slugs of URLs that take an action name besides the object.
ACTION_SLUGS = {
    "appeals_mobile:action": ["note", "resolve", "feedback", "cancel", "assign", "documents"],
    "appeals:step": ["assign", "note", "documents", "resolve", "feedback", "cancel"],
    "wishes:step": ["publish", "claim", "fulfil", "confirm", "cancel"],
    "referrals:step": ["accept", "decline", "note", "close", "cancel"],
    "referrals_mobile:action": ["accept", "decline", "note", "close", "cancel"],
    "party:followup_step": ["assign", "step", "bring_in", "close"],
    "admin:projects_serviceproject_step": ["review", "deliver", "evaluate"],
}
# Plausible form fields, so that a view that validated before checking scope would get far.
HOSTILE_FORM = {
    "action": "approve", "comment": "越界", "note": "越界", "text": "越界", "reason": "越界",
    "amount": "100.00", "amount_approved": "100.00", "method": "home", "findings": "越界", "kind": "diagnosis",
    "resolution": "越界", "satisfaction": "satisfied", "handler": "1", "title": "越界", "estimated_value": "10",
    "donor_kind": "person", "donor_name": "越界", "fulfilled_on": "2026-01-02", "resolved_on": "2026-01-02",
    "died_on": "2026-01-02", "moved_on": "2026-01-02", "destination": "越界",
}  # fmt: skip


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, sorted(pattern.pattern.regex.groupindex)


def site_urls() -> list[tuple[str, str | None, list[str]]]:
    """Every route of the site: (route, name, parameter names); DRF's format twins folded."""
    seen, routes = set(), []
    for route, name, params in _walk(get_resolver().url_patterns):
        params = [p for p in params if p != "format"]
        key = (name, tuple(params)) if name else (route, tuple(params))
        if key not in seen:
            seen.add(key)
            routes.append((route, name, params))
    return routes


def _admin_object_urls():
    """(url name, app.model, view) for the object pages of every registered admin."""
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        for view in ("change", "history", "delete"):
            yield f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", label, model


def _world_object_for_model(world: dict, model):
    for value in world.values():
        if isinstance(value, model):
            return value
    if model is apps.get_model("grids", "StaffProfile"):
        return world["worker"].staff_profile
    return None


def concrete_urls(world: dict) -> tuple[list[str], list[str]]:
    """The sweep's targets: object URLs pointed at the world, and lists (no parameter)."""
    admin_models = {name: (label, model) for name, label, model in _admin_object_urls()}
    object_urls, list_urls, static_urls, unmapped = [], [], [], []
    for route, name, params in site_urls():
        if name in SKIPPED_URLS or name in UNSCOPED_URLS or route in SKIPPED_ROUTES:
            continue
        if name in LIST_SLUGS:
            list_urls += [reverse(name, args=[value]) for value in LIST_SLUGS[name]()]
            continue
        if not params and name in STATIC_URLS:
            static_urls.append(reverse(name))
            continue
        if not params:
            if "<" not in route and "(?P" not in route and "^" not in route:
                list_urls.append("/" + route)
            elif name:
                list_urls.append(reverse(name))
            continue
        if name in admin_models:
            label, model = admin_models[name]
            if label in UNSCOPED_ADMIN_MODELS or label in world.get("shared_models", ()):
                continue
            target = _world_object_for_model(world, model)
            if target is None:
                unmapped.append(f"{name}: the world has no outside {label}")
                continue
            object_urls.append(reverse(name, args=[target.pk]))
            continue
        if name == "admin:view_on_site":
            veteran = world["veteran"]
            object_urls.append(reverse(name, args=[ContentType.objects.get_for_model(veteran).pk, veteran.pk]))
            continue
        if name is None and params == ["object_id"] and route.startswith("admin/"):
            continue  # admin's old-style redirect to the change page, which is swept itself
        key = OBJECT_FOR_URL.get(name) or next(
            (obj for prefix, obj in OBJECT_FOR_API_PREFIX.items() if name and name.startswith(prefix)), None
        )
        if key is None:
            unmapped.append(f"{name or route}: map its parameters in OBJECT_FOR_URL")
            continue
        if key in world.get("shared_keys", ()):
            continue  # district data the sibling street shares (see `worlds`)
        target = world[key]
        slugs = [p for p in params if p not in {"pk", "veteran_pk", "object_id", "id"}]
        if not slugs:
            object_urls.append(reverse(name, args=[target.pk]))
            continue
        for action in ACTION_SLUGS.get(name, []):
            object_urls.append(reverse(name, args=[target.pk, action]))
        if name not in ACTION_SLUGS:
            unmapped.append(f"{name}: list the values of {slugs} in ACTION_SLUGS")
    assert not unmapped, "URLs the scope sweep cannot aim yet:\n" + "\n".join(unmapped)
    return object_urls, list_urls, static_urls


def sweep_targets(world: dict) -> tuple[list[str], list[str], list[str]]:
    """concrete_urls, plus the object URLs of the world's further objects of a kind it already
    has (`also`: the city's fund and its donation beside the district's)."""
    object_urls, list_urls, static_urls = concrete_urls(world)
    for also in world.get("also", ()):
        object_urls += [url for url in concrete_urls({**world, **also})[0] if url not in object_urls]
    return object_urls, list_urls, static_urls


def hostile_queries(world: dict) -> list[dict]:
    """Query strings that try to select the outside area or its objects in a list."""
    grid = world["grid"]
    areas = {"grid": grid, "community": grid.community, "street": grid.community.street}
    if "district" in world:
        areas["district"] = world["district"]
    fields = {
        "veteran": world["veteran"].pk,
        "grid": grid.pk,
        "street": areas["street"].pk,
        "community": areas["community"].pk,
        "fund": world["fund"].pk,
        "case": world["case"].pk,
        "status": "",
        "page_size": 500,
    }
    queries = [{"level": level, "id": area.pk} for level, area in areas.items()]
    queries[0].update(fields)
    return queries


def secrets_of(world: dict) -> list[str]:
    veteran = world["veteran"]
    return [world["marker"], veteran.id_number, veteran.phone]


def body_text(response) -> str:
    """The response as text: streamed or not, and the cells of an .xlsx."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as book:
                return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    text = raw.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text += json.dumps(text)  # also the \\u-escaped form
    return text


def leaked(response, secrets: list[str]) -> list[str]:
    text = body_text(response)
    escaped = [json.dumps(s)[1:-1] for s in secrets]
    return [s for s, e in zip(secrets, escaped, strict=True) if s in text or e in text]


def world_state(world: dict) -> dict:
    """What must not change: each outside object's fields, and how many rows hang off it."""
    state = {}
    for key, obj in world.items():
        if not hasattr(obj, "_meta"):
            continue
        model = type(obj)
        row = model.objects.filter(pk=obj.pk).values().first()
        row and row.pop("last_login", None)  # the sweep's own logins are not a change
        state[key] = row
        for relation in model._meta.related_objects:
            if relation.one_to_many or relation.one_to_one:
                related = relation.related_model._default_manager.filter(**{relation.field.name: obj.pk})
                state[f"{key}.{relation.name}"] = related.count()
    return state


def row_counts() -> dict:
    """Rows of every table but the audit trail, sessions and login bookkeeping, in one query."""
    skip = {"audit", "sessions", "axes", "admin"}
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.app_label not in skip and m._meta.managed})
    # Table names come from the models, quoted: no outside input reaches this SQL.
    select = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _send(client, method: str, url: str, *, api: bool, data=None):
    if method == "get":
        return client.get(url, data or {})
    if api:
        return getattr(client, method)(url, data or {}, format="json")
    if method == "post":
        return client.post(url, data or {})
    return getattr(client, method)(url)


def sweep(user, world: dict) -> list[str]:
    """Every URL against `world` as `user`; returns the breaches found."""
    client = APIClient(raise_request_exception=False)  # a 500 is a finding, reported with the rest
    client.force_login(user)
    object_urls, list_urls, static_urls = sweep_targets(world)
    secrets = secrets_of(world)
    breaches = []
    before_state, before_rows = world_state(world), row_counts()
    payload = {
        **HOSTILE_FORM,
        "veteran": world["veteran"].pk,
        "grid": world["grid"].pk,
        "case": world["case"].pk,
        "fund": world["fund"].pk,
    }
    for url in object_urls:
        api = url.startswith("/api/")
        for method in ("get", *(WRITE_METHODS if api else ("post",))):
            response = _send(client, method, url, api=api, data=None if method == "get" else payload)
            if response.status_code not in REFUSED:
                breaches.append(f"{method.upper()} {url} → {response.status_code}")
            if found := leaked(response, secrets):
                breaches.append(f"{method.upper()} {url} shows {found}")
        if (rows := row_counts()) != before_rows:
            changed = {t: (before_rows[t], n) for t, n in rows.items() if before_rows[t] != n}
            breaches.append(f"{url} wrote rows: {changed}")
            before_rows = rows
    for url in list_urls:
        api = url.startswith("/api/")
        for query in ({}, *hostile_queries(world)):
            response = client.get(url, query)
            if response.status_code >= 500:
                breaches.append(f"GET {url} {query} → {response.status_code}")
            if found := leaked(response, secrets):
                breaches.append(f"GET {url}?{query} shows {found}")
        response = _send(client, "post", url, api=api, data=payload)
        if response.status_code >= 500 or (found := leaked(response, secrets)):
            breaches.append(f"POST {url} → {response.status_code} {found if response.status_code < 500 else ''}")
    for url in static_urls:
        response = client.get(url)
        if response.status_code >= 500 or (found := leaked(response, secrets)):
            breaches.append(f"GET {url} → {response.status_code} {found if response.status_code < 500 else ''}")
    after_state = world_state(world)
    breaches += [f"outside {key} changed" for key in before_state if before_state[key] != after_state[key]]
    # The sweep meant something only if the user stayed signed in throughout.
    assert client.get(reverse("home")).status_code in {200, 302}
    assert "_auth_user_id" in client.session, "the sweep lost its session: its refusals prove nothing"
    return breaches


@pytest.fixture
def worlds(tree):
    """Outside objects in a sibling street (same district) and in another district."""
    other_street = StreetFactory(name="外区街道")
    other_grid = GridFactory(community=CommunityFactory(street=other_street, name="外区社区"), name="外区网格")
    sibling = build_outside(district=tree["district"], grid=tree["grid_b11"], marker="乙街越界人")
    far = build_outside(district=other_street.district, grid=other_grid, marker="外区越界人")
    far["district"] = other_street.district
    # The city's own fund, kept by the municipal service center: outside every narrower scope.
    center = make_staff(the_city(), role=Role.STATION_STAFF)
    far["city_fund"] = fund_create(name=f"{far['marker']}市级基金", level="city", acting_user=center)
    far["city_entry"] = fund_receive(
        fund=far["city_fund"],
        kind="donation",
        amount="500",
        acting_user=center,
        donor_kind="person",
        donor_name=far["marker"],
    )
    far["also"] = [*far["also"], {"fund": far["city_fund"], "entry": far["city_entry"]}]
    for world in (sibling, far):
        world["street"], world["community"] = world["grid"].community.street, world["grid"].community
        world["audit"] = AuditEvent.objects.filter(actor=world["worker"]).latest("id")
    sibling["shared_models"] = {"grids.district"}  # the sibling street's district is everyone's here
    # The district's list of teams, volunteers and providers is the whole district's.
    sibling["shared_models"] |= {"referrals.volunteerteam", "referrals.volunteer", "referrals.provider"}
    sibling["shared_keys"] = {"team", "volunteer", "provider"}
    # A selection round is the district's, shared by its streets: aim at the far district's one.
    sibling["selection"] = far["selection"]
    # Training providers and courses are the district's catalogue, seen from every street in it:
    # the far district's stand for the sibling's too.
    # Employers, bases and fairs are the whole district's too.
    for key in ("training_provider", "training_course", "employer", "employment_base", "job_fair"):
        sibling[key] = far[key]
    return {"sibling": sibling, "far": far}


ROLES = {
    # role: (how the user is placed, which worlds lie outside its scope)
    "grid_worker": (lambda t: make_staff(grids=[t["grid_a11"]]), ("sibling", "far")),
    "grid_leader": (lambda t: make_staff(grids=[t["grid_a11"]], role=Role.GRID_LEADER), ("sibling", "far")),
    "station_staff": (lambda t: make_staff(t["street_a"], role=Role.STATION_STAFF), ("sibling", "far")),
    "community_staff": (lambda t: make_staff(t["community_a1"], role=Role.STATION_STAFF), ("sibling", "far")),
    "bureau_leader": (lambda t: make_staff(t["district"], role=Role.BUREAU_LEADER), ("far",)),
    "system_admin": (lambda t: make_staff(t["district"], role=Role.SYSTEM_ADMIN), ("far",)),
    "auditor": (lambda t: make_staff(t["district"], role=Role.AUDITOR), ("far",)),
}


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_outside_its_scope(role, tree, worlds):
    place, outside = ROLES[role]
    user = place(tree)
    inside = make_veteran(tree["grid_a11"], name="本格自己人")
    breaches = []
    for key in outside:
        breaches += [f"[{key}] {b}" for b in sweep(user, worlds[key])]
    assert not breaches, f"{role} crossed its scope:\n" + "\n".join(breaches)
    assert inside.pk  # the user's own grid is populated: lists were not empty by accident


def test_the_sweep_sees_every_parameterised_url(tree, worlds):
    object_urls, list_urls, static_urls = concrete_urls(worlds["far"])
    assert len(object_urls) > 80 and len(list_urls) > 30 and "/api/schema/" in static_urls
    # Writes that name their person in the body: posted with the outside person, every field valid.
    assert {"/api/deaths/", "/api/move-outs/"} <= set(list_urls)
    assert {"/api/map/areas/", "/api/map/homes/"} <= set(list_urls)
    assert any(u.startswith("/api/veterans/") for u in object_urls)
    assert any(u.startswith("/admin/veterans/veteran/") for u in object_urls)
    assert any(re.match(r"^/m/v/\d+/$", u) for u in object_urls)
    far = worlds["far"]
    targets = sweep_targets(far)[0]
    for url in (
        f"/api/funds/{far['city_fund'].pk}/",
        f"/api/fund-entries/{far['city_entry'].pk}/",
        reverse("assistance:receipt", args=[far["city_entry"].pk]),
        reverse("printing:receipt", args=[far["city_entry"].pk]),
        reverse("printing:notice", args=[far["paid_case"].pk]),
        reverse("printing:archive", args=[far["veteran"].pk]),
        reverse("admin:assistance_relieffund_change", args=[far["city_fund"].pk]),
        f"/api/transfers/{far['transfer'].pk}/accept/",
        reverse("admin:transfers_transfer_change", args=[far["transfer"].pk]),
    ):
        assert url in targets


def test_the_sweep_catches_a_leak(tree, worlds, client):
    """The detector itself: a station user of the far district does see its veteran."""
    world = worlds["far"]
    breaches = sweep(world["station"], world)
    assert any("shows" in b for b in breaches), breaches[:5]


EMPTY_INLINES = {
    f"{p}-{s}": "0" for p in ("priority_care", "family", "honours") for s in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def error_secrets_of(world: dict) -> list[str]:
    """What an error answer must not carry about the outside veteran: name, grid, ID tail, phone."""
    veteran = world["veteran"]
    return [world["marker"], world["grid"].name, veteran.id_tail, veteran.phone]


def _collision_answers(user, world: dict, own_grid, own_veteran) -> list[tuple[str, str]]:
    """Every way to write the outside veteran's ID number from inside: (where, answer text)."""
    number = world["veteran"].id_number
    client = APIClient(raise_request_exception=False)
    client.force_login(user)
    record = {"grid": own_grid.pk, "name": "新建者", "id_number": number, "veteran_type": "demobilised"}
    admin_form = {**record, "life_status": "alive", **EMPTY_INLINES}
    answers = [
        ("POST /api/veterans/", client.post("/api/veterans/", record, format="json")),
        ("PATCH own record", client.patch(f"/api/veterans/{own_veteran.pk}/", {"id_number": number}, format="json")),
        ("admin add form", client.post(reverse("admin:veterans_veteran_add"), admin_form)),
    ]
    texts = [(where, body_text(response)) for where, response in answers]
    if user.has_perm("veterans.import_veterans"):
        rows = [veteran_row(姓名="导入者", 公民身份号码=number, 网格编码=own_grid.code)]
        started = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=user)
        started.refresh_from_db()
        texts.append(("import preview", json.dumps(started.errors, ensure_ascii=False) + started.message))
        detail = client.get(reverse("admin:veterans_import_detail", args=[started.pk]))
        texts.append(("import preview page", body_text(detail)))
    return [(where, text.replace(number, "")) for where, text in texts]  # the typed number comes back


@pytest.mark.parametrize("role", ROLES)
def test_no_error_answer_tells_of_a_record_outside_the_scope(role, tree, worlds, django_capture_on_commit_callbacks):
    """Duplicate checks and every other refusal: not a name, grid or ID tail from outside."""
    place, outside = ROLES[role]
    user = place(tree)
    own = make_veteran(tree["grid_a11"], name="本格自己人")
    breaches = []
    for key in outside:
        secrets = error_secrets_of(worlds[key])
        with django_capture_on_commit_callbacks(execute=True):
            answers = _collision_answers(user, worlds[key], tree["grid_a11"], own)
        for where, text in answers:
            breaches += [f"[{key}] {where} shows {secret!r}" for secret in secrets if secret in text]
    assert not breaches, f"{role}'s error answers tell of outside records:\n" + "\n".join(breaches)
    assert Veteran.objects.filter(name__in=["新建者", "导入者"]).count() == 0


def test_the_error_sweep_catches_a_named_duplicate(tree, worlds):
    """The detector itself: inside the scope the duplicate is named, and the sweep sees it."""
    world = worlds["far"]
    own = make_veteran(world["grid"], name="同格人")
    answers = _collision_answers(world["station"], world, world["grid"], own)
    assert any(world["marker"] in text for _where, text in answers)
