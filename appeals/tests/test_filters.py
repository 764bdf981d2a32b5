"""Every filter of AppealFilter on stored appeals: rows that match and rows that do not, and exactly
the matching ones come back; through the desk list and the phone list too."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from appeals.filters import AppealFilter
from appeals.models import Appeal


@pytest.fixture
def three_appeals(veterans, open_appeal, question, agency, people):
    """ "逾期" (mine, a question by phone, overdue), "将到期" (theirs, agency, in person, due
    tomorrow) and "已办结" (mine, a question by letter, resolved)."""
    today = timezone.localdate()
    rows = {
        "逾期": (open_appeal(), dict(status="accepted", deadline=today - datetime.timedelta(days=3))),
        "将到期": (
            open_appeal(veteran=veterans["theirs"], category=agency, by=people["other_worker"]),
            dict(status="in_progress", channel="station", deadline=today + datetime.timedelta(days=1)),
        ),
        "已办结": (
            open_appeal(received_on=datetime.date(2026, 11, 20)),
            dict(status="resolved", channel="letter", deadline=today - datetime.timedelta(days=1)),
        ),
    }
    for subject, (appeal, stored) in rows.items():
        # Stored states the workflow takes several steps to reach; only the filtered columns matter.
        Appeal.objects.filter(pk=appeal.pk).update(subject=subject, **stored)
    return {subject: Appeal.objects.get(pk=appeal.pk) for subject, (appeal, _stored) in rows.items()}


def query(params: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [str(value)])
    return data


def _found(params) -> set[str]:
    filterset = AppealFilter(query(params), queryset=Appeal.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {appeal.subject for appeal in filterset.qs}


def test_each_appeal_filter_keeps_exactly_the_matching_appeals(three_appeals, question, agency):
    everything = {"逾期", "将到期", "已办结"}
    assert _found({}) == everything
    assert _found({"q": "李长青"}) == {"将到期"}  # the veteran's name
    assert _found({"q": "办结"}) == {"已办结"}  # the subject
    assert _found({"status": "resolved"}) == {"已办结"}
    assert _found({"status": ["accepted", "in_progress"]}) == {"逾期", "将到期"}
    assert _found({"category": agency.pk}) == {"将到期"}
    assert _found({"category": question.pk}) == {"逾期", "已办结"}
    assert _found({"kind": "agency"}) == {"将到期"}
    assert _found({"kind": "dispute"}) == set()
    assert _found({"channel": "phone"}) == {"逾期"}
    assert _found({"channel": "letter"}) == {"已办结"}
    assert _found({"urgency": "open"}) == {"逾期", "将到期"}
    assert _found({"urgency": "overdue"}) == {"逾期"}  # the resolved one is past its deadline too
    assert _found({"urgency": "due_soon"}) == {"将到期"}
    assert _found({"received_from": "2026-11-10"}) == {"已办结"}
    assert _found({"received_to": "2026-11-10"}) == {"逾期", "将到期"}


@pytest.mark.parametrize("field", ["veteran", "street", "community", "grid"])
def test_each_appeal_filter_by_a_related_row_keeps_the_appeals_of_that_row(three_appeals, field):
    mine = getattr(three_appeals["逾期"], f"{field}_id")
    theirs = getattr(three_appeals["将到期"], f"{field}_id")
    assert _found({field: mine}) == {"逾期", "已办结"}
    assert _found({field: theirs}) == {"将到期"}


def test_the_desk_and_phone_lists_are_filtered_by_the_appeal_filterset(client, people, three_appeals):
    client.force_login(people["leader"])
    subjects = lambda response: sorted(appeal.subject for appeal in response.context["page"])  # noqa: E731
    desk, phone = reverse("appeals:list"), reverse("appeals_mobile:list")
    assert subjects(client.get(desk, {"urgency": "overdue"})) == ["逾期"]
    assert subjects(client.get(phone, {"status": "resolved"})) == ["已办结"]
    assert subjects(client.get(phone, {"channel": "station"})) == ["将到期"]
    assert subjects(client.get(phone, {"status": "nonsense"})) == []  # refused, not ignored
