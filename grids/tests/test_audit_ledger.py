"""The audit log's export (grids.audit_ledger): a big selection is built in the background, through
the auditor's scope, as the file in the request would be."""

from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from exports.tests.helpers import direct_and_background, forged_rows
from grids.models import Role
from grids.tests.factories import DistrictFactory, make_staff


def test_a_big_audit_export_is_built_in_the_background_within_the_auditors_district(
    client, tree, settings, django_capture_on_commit_callbacks
):
    here = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    elsewhere = make_staff(DistrictFactory(name="河西区"), role=Role.STATION_STAFF)
    mine = [audit_record(action=AuditAction.EXPORT, actor=here) for _ in range(2)]
    audit_record(action=AuditAction.EXPORT, actor=elsewhere)
    auditor = make_staff(tree["district"], role=Role.AUDITOR)
    client.force_login(auditor)
    selected = {"action": "export_events", "_selected_action": [event.pk for event in mine]}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:audit_auditevent_changelist"), selected),
    )
    assert background == direct and job.ledger == "audit"
    assert [row[2] for row in background[1:]] == [here.username, here.username]
    forged = forged_rows(
        django_capture_on_commit_callbacks, ledger_key="audit", queryset=AuditEvent.objects.all(), user=auditor
    )
    assert elsewhere.username not in {row[2] for row in forged[1:]}  # another district's, whatever the query
    assert here.username in {row[2] for row in forged[1:]}
