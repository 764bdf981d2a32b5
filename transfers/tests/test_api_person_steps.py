"""POST /api/deaths/ (登记去世) and /api/move-outs/ (迁出本系统): the admin's two person steps."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from audit.models import AuditEvent
from transfers.services import person_record_death
from veterans.models import LifeStatus, Veteran, VeteranChange
from veterans.tests.factories import make_veteran

DEATHS, MOVE_OUTS = "/api/deaths/", "/api/move-outs/"
BIRTH = datetime.date(1950, 3, 4)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body_for(url: str, veteran_id: int, day: datetime.date) -> dict:
    if url == DEATHS:
        return {"veteran": veteran_id, "died_on": day.isoformat()}
    return {"veteran": veteran_id, "destination": "四川省成都市", "moved_on": day.isoformat()}


def written() -> tuple[int, int]:
    return AuditEvent.objects.count(), VeteranChange.objects.count()


def test_a_death_is_recorded_through_the_api(areas):
    veteran = make_veteran(areas["home"], name="褚故去", receives_regular_subsidy=True)
    died_on = timezone.localdate() - datetime.timedelta(days=2)
    response = api(areas["sender"]).post(DEATHS, body_for(DEATHS, veteran.pk, died_on), format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "veteran": veteran.pk,
        "name": "褚故去",
        "life_status": "deceased",
        "life_status_date": died_on.isoformat(),
    }
    veteran.refresh_from_db()
    assert (veteran.life_status, veteran.life_status_date) == (LifeStatus.DECEASED, died_on)
    assert veteran.receives_regular_subsidy is False
    assert AuditEvent.objects.filter(object_id=str(veteran.pk), actor=areas["sender"], detail__died_on=str(died_on))


def test_a_move_out_through_the_api_sends_the_package(areas):
    veteran = make_veteran(areas["home"], name="冯外迁")
    moved_on = timezone.localdate()
    response = api(areas["sender"]).post(MOVE_OUTS, body_for(MOVE_OUTS, veteran.pk, moved_on), format="json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="move-out-{veteran.pk}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        (sheet,) = [name for name in archive.namelist() if name.endswith(".xlsx")]
        book = load_workbook(io.BytesIO(archive.read(sheet)))
    person = {row[0]: row[1] for row in book["档案"].iter_rows(values_only=True)}
    assert person["姓名"] == "冯外迁" and person["公民身份号码"] == veteran.id_number
    veteran.refresh_from_db()
    assert (veteran.life_status, veteran.life_status_date) == (LifeStatus.MOVED_OUT, moved_on)
    assert AuditEvent.objects.filter(action="export", actor=areas["sender"], detail__package="move_out").exists()


@pytest.mark.parametrize("url", [DEATHS, MOVE_OUTS])
@pytest.mark.parametrize(("when", "message"), [("tomorrow", "不能晚于今天"), ("before_birth", "不能早于出生日期")])
def test_a_day_in_the_future_or_before_birth_is_refused_under_its_field(areas, url, when, message):
    veteran = make_veteran(areas["home"], birth_date=BIRTH)
    # Worked out when the test runs, not when it is collected: a run may cross midnight.
    if when == "tomorrow":
        day = timezone.localdate() + datetime.timedelta(days=1)
    else:
        day = BIRTH - datetime.timedelta(days=1)
    before = written()
    response = api(areas["sender"]).post(url, body_for(url, veteran.pk, day), format="json")
    assert response.status_code == 400
    field = "died_on" if url == DEATHS else "moved_on"
    assert message in response.json()[field][0]
    assert written() == before
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.ALIVE


@pytest.mark.parametrize("url", [DEATHS, MOVE_OUTS])
def test_someone_elses_person_is_answered_as_one_that_does_not_exist(areas, url):
    outside = make_veteran(areas["away"], name="陈越界")
    missing = Veteran.objects.order_by("-pk").first().pk + 1000
    client = api(areas["sender"])
    before = written()
    answers = {}
    for veteran_id in (outside.pk, missing):
        response = client.post(url, body_for(url, veteran_id, timezone.localdate()), format="json")
        assert response.status_code == 400
        assert "陈越界" not in response.content.decode()
        answers[veteran_id] = response.json()
    assert list(answers[outside.pk]) == list(answers[missing]) == ["veteran"]
    assert answers[outside.pk]["veteran"][0].replace(str(outside.pk), "#") == answers[missing]["veteran"][0].replace(
        str(missing), "#"
    )
    assert written() == before
    assert Veteran.objects.get(pk=outside.pk).life_status == LifeStatus.ALIVE


@pytest.mark.parametrize("url", [DEATHS, MOVE_OUTS])
def test_a_grid_worker_may_not_take_either_step(areas, url):
    veteran = make_veteran(areas["home"])
    before = written()
    response = api(areas["worker"]).post(url, body_for(url, veteran.pk, timezone.localdate()), format="json")
    assert response.status_code == 403
    assert written() == before
    assert Veteran.objects.get(pk=veteran.pk).life_status == LifeStatus.ALIVE


def test_a_dead_person_cannot_move_out(areas):
    veteran = make_veteran(areas["home"])
    died_on = timezone.localdate() - datetime.timedelta(days=10)
    person_record_death(veteran=veteran, died_on=died_on, acting_user=areas["sender"])
    before = written()
    response = api(areas["sender"]).post(
        MOVE_OUTS, body_for(MOVE_OUTS, veteran.pk, timezone.localdate()), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该退役军人已故，不能迁移。"]}
    assert written() == before
    veteran.refresh_from_db()
    assert (veteran.life_status, veteran.life_status_date) == (LifeStatus.DECEASED, died_on)


def test_a_death_recorded_twice_is_refused(areas):
    veteran = make_veteran(areas["home"])
    client = api(areas["sender"])
    assert client.post(DEATHS, body_for(DEATHS, veteran.pk, timezone.localdate()), format="json").status_code == 200
    response = client.post(DEATHS, body_for(DEATHS, veteran.pk, timezone.localdate()), format="json")
    assert response.status_code == 400 and "已登记为已故" in response.json()["non_field_errors"][0]


def test_both_steps_are_in_the_schema(client, areas):
    client.force_login(areas["sender"])
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    death = paths[DEATHS]["post"]
    assert death["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DeathInput")
    assert death["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/LifeStatus")
    assert set(death["responses"]) == {"200", "400", "401", "403", "415"}
    move_out = paths[MOVE_OUTS]["post"]
    assert move_out["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/MoveOutInput")
    assert move_out["responses"]["200"]["content"] == {
        "application/zip": {"schema": {"type": "string", "format": "binary"}}
    }
