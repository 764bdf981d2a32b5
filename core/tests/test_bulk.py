"""COPY's text format: every kind of value the demo, the bench and confirmed imports load comes
back from the database exactly as it went in, special characters included."""

import datetime

from django.utils import timezone

from audit.models import AuditEvent
from core.bulk import copy_rows


def test_copy_rows_round_trips_special_characters_nulls_and_times(postgres):
    awkward = "制表\t反斜杠\\换行\n回车\r结束"
    when = timezone.make_aware(datetime.datetime(2026, 8, 1, 9, 30, 15))
    columns = ["occurred_at", "actor_username", "ip_address", "action", "result", "object_type", "object_id",
               "object_repr", "detail"]  # fmt: skip
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
