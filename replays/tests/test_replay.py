"""Every phone form runs once per client_id, and answers the offline queue in JSON."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from assistance.models import CaseType, HardshipCase
from grids.tests.factories import make_staff
from replays.models import SubmitReceipt
from veterans.tests.factories import make_veteran
from visits.models import MustVisitEvent, Visit
from wishes.models import MicroWish

QUEUE = {"HTTP_X_QUEUE": "1"}


@pytest.fixture
def worker(tree):
    return make_staff(grids=[tree["grid_a11"]])


@pytest.fixture
def veteran(tree):
    return make_veteran(tree["grid_a11"])


def _visit(client_id, **values):
    return {
        "client_id": client_id,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "home",
        "kind": "routine",
        "money": "0",
        "goods_value": "0",
        "findings": "身体好",
        **values,
    }


def test_a_replayed_visit_is_stored_once_and_answered_alike(client, worker, veteran):
    client.force_login(worker)
    url, client_id = reverse("mobile:visit", args=[veteran.pk]), str(uuid.uuid4())
    first = client.post(url, _visit(client_id), **QUEUE)
    again = client.post(url, _visit(client_id), **QUEUE)
    card = reverse("mobile:card", args=[veteran.pk])
    assert first.status_code == 200 and first.json() == {"status": "stored", "location": card}
    assert again.json() == {"status": "stored", "location": card, "replayed": True}
    assert Visit.objects.filter(veteran=veteran).count() == 1
    assert SubmitReceipt.objects.get().form == "visit"


def test_every_phone_form_is_replay_safe(client, worker, veteran):
    client.force_login(worker)
    today = timezone.localdate().isoformat()
    posts = [
        (reverse("mobile:event", args=[veteran.pk]), {"kind": "hospital", "occurred_on": today}, MustVisitEvent),
        (
            reverse("mobile:hardship", args=[veteran.pk]),
            {
                "case_type": CaseType.objects.get(name="大病医疗救助").pk,
                "description": "住院",
                "reported_on": today,
                "amount_requested": "8400",
                "submit_now": "on",
            },
            HardshipCase,
        ),
        (
            reverse("appeals_mobile:new", args=[veteran.pk]),
            {"category": _appeal_category(), "channel": "visit", "subject": "屋顶漏雨", "content": "请帮助修缮",
             "received_on": today},
            Appeal,
        ),
        (reverse("wishes_mobile:new", args=[veteran.pk]), _wish_values(), MicroWish),
    ]  # fmt: skip
    for url, values, model in posts:
        values = {**values, "client_id": str(uuid.uuid4())}
        answers = [client.post(url, values, **QUEUE) for _ in range(2)]
        assert [a.json()["status"] for a in answers] == ["stored", "stored"], (url, answers[0].content)
        assert model.objects.count() == 1, url
        assert client.post(url, values).status_code == 302  # the page's own post, replayed: the same page


def _appeal_category() -> int:
    from appeals.models import AppealCategory

    return AppealCategory.objects.order_by("id").first().pk


def _wish_values() -> dict:
    from wishes.forms import WishForm

    form = WishForm()
    values = {"title": "想看一场老电影", "content": "想看《上甘岭》", "estimated_value": "100"}
    return {name: values.get(name, "") for name in form.fields} | values


def test_a_refused_form_answers_each_field_and_keeps_nothing(client, worker, veteran):
    client.force_login(worker)
    client_id = str(uuid.uuid4())
    answer = client.post(reverse("mobile:visit", args=[veteran.pk]), _visit(client_id, money="-5"), **QUEUE)
    assert answer.status_code == 422
    body = answer.json()
    assert body["status"] == "refused"
    assert {row["field"]: row["label"] for row in body["errors"]} == {"money": "慰问金（元）"}
    assert not Visit.objects.exists() and not SubmitReceipt.objects.exists()
    fixed = client.post(reverse("mobile:visit", args=[veteran.pk]), _visit(client_id), **QUEUE)
    assert fixed.json()["status"] == "stored"  # the same number, once corrected


def test_a_person_outside_the_grid_is_refused_without_a_word_about_him(client, worker, tree):
    stranger = make_veteran(tree["grid_a12"], name="别处的人")
    client.force_login(worker)
    answer = client.post(reverse("mobile:visit", args=[stranger.pk]), _visit(str(uuid.uuid4())), **QUEUE)
    assert answer.status_code == 404
    assert answer.json() == {"status": "refused", "message": "该档案不存在或不在您的管辖范围内。"}
    assert "别处的人" not in answer.content.decode()


def test_another_accounts_number_is_refused_and_tells_nothing(client, worker, veteran, tree):
    client.force_login(worker)
    client_id = str(uuid.uuid4())
    client.post(reverse("mobile:visit", args=[veteran.pk]), _visit(client_id), **QUEUE)
    colleague = make_staff(grids=[tree["grid_a11"]])
    client.force_login(colleague)
    answer = client.post(reverse("mobile:visit", args=[veteran.pk]), _visit(client_id), **QUEUE)
    assert answer.status_code == 409 and "location" not in answer.json()
    assert Visit.objects.count() == 1


def test_the_form_keeps_its_number_when_served_again(client, worker, veteran):
    client.force_login(worker)
    client_id = str(uuid.uuid4())
    page = client.post(reverse("mobile:event", args=[veteran.pk]), {"kind": "hospital", "client_id": client_id})
    assert page.status_code == 200 and f'name="client_id" value="{client_id}"' in page.content.decode()
