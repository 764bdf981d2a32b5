"""The phone app's offline parts: manifest, service worker, and the snapshot of the worker's area."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from grids.tests.factories import make_staff
from offline.selectors import scope_signature
from veterans.tests.factories import make_veteran
from visits.services import must_visit_event_report


def test_manifest_installs_the_phone_app_under_m(client):
    data = client.get(reverse("offline:manifest")).json()
    assert (data["name"], data["start_url"], data["scope"], data["display"]) == ("网格走访", "/m/", "/m/", "standalone")
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))  # the app's own static files


def test_service_worker_is_scoped_to_the_phone_app_and_lists_its_shell(client):
    response = client.get(reverse("offline:service_worker"))
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert body.startswith("const VERSION = '") and "/m/offline/" in body and "/static/js/offline.js" in body


def test_snapshot_holds_the_workers_grid_only_with_numbers_masked(client, tree, django_assert_max_num_queries):
    worker = make_staff(grids=[tree["grid_a11"]])
    mine = make_veteran(tree["grid_a11"], name="张建国", phone="13912345678", residence_address="后山村12号")
    make_veteran(tree["grid_a12"], name="别处的人")
    must_visit_event_report(
        veteran=mine, acting_user=worker, kind="hospital", occurred_on=timezone.localdate(), note="住院"
    )
    for index in range(5):
        make_veteran(tree["grid_a11"], name=f"老兵{index}")
    client.force_login(worker)
    with django_assert_max_num_queries(14):  # constant: not one query per person
        response = client.get(reverse("offline:snapshot"))
    data = response.json()
    names = [p["name"] for p in data["people"]]
    assert "别处的人" not in names and len(names) == 6
    assert names[0] == "张建国"  # an open must-visit event first, as on the due list
    card = data["people"][0]
    assert card["phone"] == "139****5678" and "13912345678" not in response.content.decode()
    assert card["address"] == "后山村12号" and card["events"][0]["note"] == "住院"
    assert data["user"] == worker.pk and data["scope"] == scope_signature(worker) and data["complete"]
    assert response["Cache-Control"].startswith("max-age=0")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=worker)
    assert event.detail == {"offline_cache": 6}


def test_moving_a_worker_to_another_grid_changes_the_signature(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    before = scope_signature(worker)
    worker.staff_profile.grids.set([tree["grid_a12"]])
    assert scope_signature(get_user_model().objects.get(pk=worker.pk)) != before


def test_snapshot_needs_a_login(client):
    assert client.get(reverse("offline:snapshot")).status_code == 302


def test_offline_page_carries_blank_forms_without_a_fixed_number(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(worker)
    body = client.get(reverse("offline:shell")).content.decode()
    for template in ("tpl-visit", "tpl-event", "tpl-hardship", "tpl-contact", "tpl-appeal", "tpl-wish"):
        assert f'id="{template}"' in body
    assert body.count('name="client_id" value=""') == 6  # the phone numbers each form when it opens it


def test_due_dates_in_the_snapshot_are_iso_days(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    person = make_veteran(tree["grid_a11"])
    type(person).objects.filter(pk=person.pk).update(visit_due_on=datetime.date(2026, 1, 5))
    client.force_login(worker)
    row = client.get(reverse("offline:snapshot")).json()["people"][0]
    assert row["visit_due_on"] == "2026-01-05" and row["overdue"] is True
