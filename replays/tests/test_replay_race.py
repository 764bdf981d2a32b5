"""Two posts of the same form at once (a queue resending while the first answer is on its way)
store it once: the receipt's unique number decides, and the loser's writes roll back."""

import contextlib
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grids.tests.factories import make_staff
from replays.models import SubmitReceipt
from veterans.tests.factories import make_veteran
from visits import mobile
from visits.models import MustVisitEvent


@pytest.mark.postgres
def test_two_replays_at_once_store_one_event_on_postgresql(postgres, transactional_db, tree, monkeypatch):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    # Widen the race: each post waits, after writing its event, until the other has written too.
    written = threading.Barrier(2, timeout=2)
    real_report = mobile.must_visit_event_report

    def report_then_wait(**kwargs):
        event = real_report(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            written.wait()
        return event

    monkeypatch.setattr(mobile, "must_visit_event_report", report_then_wait)
    values = {"kind": "hospital", "occurred_on": timezone.localdate().isoformat(), "client_id": str(uuid.uuid4())}
    answers: list[dict] = []
    # One phone, one session, sending twice: an account has one live session (a second login
    # would end the first, and with it the request in flight).
    phone = Client()
    phone.force_login(worker)

    def post():
        try:
            client = Client()
            client.cookies = phone.cookies
            answers.append(client.post(reverse("mobile:event", args=[veteran.pk]), values, HTTP_X_QUEUE="1").json())
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a["status"] for a in answers) == ["stored", "stored"]
    assert sorted(bool(a.get("replayed")) for a in answers) == [False, True]
    assert MustVisitEvent.objects.filter(veteran=veteran).count() == 1
    assert SubmitReceipt.objects.count() == 1
