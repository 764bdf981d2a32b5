import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from transfers.services import person_record_death
from veterans.models import LifeStatus, Veteran, VeteranChange
from veterans.tests.factories import make_veteran
from visits.models import EventKind, MustVisitEvent
from visits.services import must_visit_event_report


def _written():
    return (
        AuditEvent.objects.count(),
        VeteranChange.objects.count(),
        MustVisitEvent.objects.filter(resolved_at__isnull=False).count(),
    )


def test_recording_a_death_closes_the_file(areas):
    veteran = make_veteran(areas["home"], receives_regular_subsidy=True)
    must_visit_event_report(
        veteran=veteran, kind=EventKind.HOSPITAL, occurred_on=timezone.localdate(), acting_user=areas["worker"]
    )
    died_on = timezone.localdate() - datetime.timedelta(days=3)
    person_record_death(veteran=veteran, died_on=died_on, acting_user=areas["sender"])
    veteran.refresh_from_db()
    assert (veteran.life_status, veteran.life_status_date) == (LifeStatus.DECEASED, died_on)
    assert veteran.receives_regular_subsidy is False
    assert MustVisitEvent.objects.filter(veteran=veteran, resolved_at__isnull=True).count() == 0
    change = VeteranChange.objects.get(veteran=veteran, field="life_status")
    assert change.actor == areas["sender"]
    assert AuditEvent.objects.filter(
        object_id=str(veteran.pk), actor=areas["sender"], detail__died_on=str(died_on)
    ).exists()


def _refused(call, part):
    before = _written()
    with pytest.raises(ApplicationError) as error:
        call()
    assert part in error.value.message
    assert _written() == before
    return error.value


def test_a_death_in_the_future_is_refused(areas):
    veteran = make_veteran(areas["home"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _refused(lambda: person_record_death(veteran=veteran, died_on=tomorrow, acting_user=areas["sender"]), "晚于今天")
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.ALIVE


def test_a_death_recorded_twice_is_refused(areas):
    veteran = make_veteran(areas["home"])
    person_record_death(veteran=veteran, died_on=timezone.localdate(), acting_user=areas["sender"])
    _refused(
        lambda: person_record_death(veteran=veteran, died_on=timezone.localdate(), acting_user=areas["sender"]),
        "已登记为已故",
    )


def test_a_death_out_of_scope_is_refused(areas):
    veteran = make_veteran(areas["home"])
    error = _refused(
        lambda: person_record_death(veteran=veteran, died_on=timezone.localdate(), acting_user=areas["receiver"]),
        "管辖范围",
    )
    assert error.code == "out_of_scope"
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.ALIVE


def test_admin_records_a_death(client, areas):
    from django.urls import reverse

    veteran = make_veteran(areas["home"], name="褚故去")
    client.force_login(areas["sender"])
    url = reverse("admin:transfers_transfer_record_death")
    assert client.get(url).status_code == 200
    response = client.post(url, {"veteran": veteran.pk, "died_on": timezone.localdate()})
    assert response.status_code == 302
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.DECEASED


def test_admin_death_page_refuses_someone_elses_person_and_future_dates(client, areas):
    from django.urls import reverse

    outside = make_veteran(areas["away"], name="卫越界")
    own = make_veteran(areas["home"])
    client.force_login(areas["sender"])
    url = reverse("admin:transfers_transfer_record_death")
    response = client.post(url, {"veteran": outside.pk, "died_on": timezone.localdate()})
    assert response.status_code == 200 and "卫越界" not in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"veteran": own.pk, "died_on": tomorrow})
    assert response.status_code == 200 and "晚于今天" in response.content.decode()
    assert Veteran.objects.filter(life_status=LifeStatus.DECEASED).count() == 0
