"""Reads of the audit. Callers decide who may see them: the audit sits below the area tree."""

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent, ViewPart

# The actions that mean "this person's file was read": a whole view, or the full numbers.
READ_ACTIONS = (AuditAction.VIEW, AuditAction.VIEW_SENSITIVE)


def readers_of(*, obj: Model) -> QuerySet[AuditEvent]:
    """Every recorded read of `obj`, newest first (audit_object_idx serves the filter)."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action__in=READ_ACTIONS
    ).order_by("-occurred_at", "-id")


def read_part(event: AuditEvent) -> str:
    """Which part of the file a read showed. A reveal without a part is the 完整号码 endpoint."""
    return event.detail.get("part") or (ViewPart.IDENTITY if event.action == AuditAction.VIEW_SENSITIVE else "")


def read_part_label(event: AuditEvent) -> str:
    part = read_part(event)
    label = str(ViewPart(part).label) if part in ViewPart.values else part
    if event.action == AuditAction.VIEW_SENSITIVE and part != ViewPart.IDENTITY:
        return _("%(part)s（含完整号码）") % {"part": label}
    return label
