"""COPY's text format: every kind of value the demo, the bench and confirmed imports load comes
back from the database exactly as it went in, special characters included."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.db.bulk import copy_rows


def test_copy_rows_round_trips_special_characters_nulls_and_times(postgres):
    awkward = "制表\t反斜杠\\换行\n回车\r结束"
    when = timezone.make_aware(datetime.datetime(2026, 8, 1, 9, 30, 15))
    columns = [
        "occurred_at",
        "actor_username",
        "ip_address",
        "action",
        "result",
        "object_type",
        "object_id",
        "object_repr",
        "detail",
    ]
    rows = [
        (when, "王德顺", None, "create", "success", "veterans.veteran", 7, awkward, '{"n": 1}'),
        (when, "plain", "127.0.0.1", "update", "failure", "", "", "", "{}"),
    ]

    assert copy_rows(AuditEvent, columns, rows) == 2

    first, second = AuditEvent.objects.order_by("id")
    assert first.object_repr == awkward and first.actor_username == "王德顺"
    assert first.ip_address is None and first.object_id == "7" and first.detail == {"n": 1}
    assert first.occurred_at == when
    assert second.ip_address == "127.0.0.1" and second.result == "failure" and second.object_repr == ""


def test_instance_maker_builds_what_the_constructor_builds(db):
    from core.db.bulk import InstanceMaker
    from veterans.models import Veteran
    from visits.models import Visit

    make = InstanceMaker(Veteran)
    assert make.plain
    fast, slow = make(name="王德顺", is_party_member=True), Veteran(name="王德顺", is_party_member=True)
    assert {k: v for k, v in fast.__dict__.items() if k != "_state"} == {
        k: v for k, v in slow.__dict__.items() if k != "_state"
    }
    assert fast._state.adding and fast._state is not make(name="x")._state
    with pytest.raises(TypeError, match="grid"):
        make(grid=None)  # relations go by attname (grid_id), as bulk writes need
    visit_maker = InstanceMaker(Visit)  # client_id defaults to a fresh uuid4: the constructor must run
    assert not visit_maker.plain and visit_maker().client_id != visit_maker().client_id
