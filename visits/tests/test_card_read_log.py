"""The phone card records who opened the file, at the price of one INSERT."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEvent, ViewPart
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits import mobile


def _views(veteran):
    return AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="veterans.veteran", object_id=str(veteran.pk))


def test_card_records_one_view_with_part_and_ip(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(worker)
    response = client.get(reverse("mobile:card", args=[veteran.pk]), REMOTE_ADDR="172.16.0.9")
    assert response.status_code == 200
    event = _views(veteran).get()
    assert (event.actor, event.detail, event.ip_address) == (worker, {"part": ViewPart.MOBILE}, "172.16.0.9")


def test_card_of_another_grid_records_no_view(client, tree):
    other = make_veteran(tree["grid_a12"])
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(reverse("mobile:card", args=[other.pk])).status_code == 404
    assert not _views(other).exists()


def test_repeated_card_views_are_each_recorded(client, tree):
    # Not coalesced: looking for the previous row would cost a query on every view.
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    for _ in range(3):
        assert client.get(reverse("mobile:card", args=[veteran.pk])).status_code == 200
    assert _views(veteran).count() == 3


def test_card_view_costs_exactly_one_insert_more(client, tree, monkeypatch):
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    url = reverse("mobile:card", args=[veteran.pk])
    client.get(url)  # warm: session, scope and permission caches as on a phone's second page

    with monkeypatch.context() as patched:  # the card as it was before the read log
        patched.setattr(mobile, "veteran_record_view", lambda **kwargs: None)
        with CaptureQueriesContext(connection) as before:
            assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200

    assert len(after) == len(before) + 1
    extra = [q["sql"] for q in after.captured_queries if "audit_auditevent" in q["sql"]]
    assert len(extra) == 1 and extra[0].startswith('INSERT INTO "audit_auditevent"')
    assert _views(veteran).count() == 2  # the warm-up and the measured view; the patched one wrote none
