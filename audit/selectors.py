"""Reads of the audit. Callers decide who may see them: the audit sits below the area tree."""

import ipaddress
import re

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent, ViewPart

PARTIAL_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){1,2}\.?$")
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


def search_events(queryset: QuerySet[AuditEvent], text: str) -> QuerySet[AuditEvent]:
    """The auditor's search box, each form on an index: an IP address, a record's number, a
    username (through the actor's index), or text in the record's name (a trigram index on
    PostgreSQL: `LIKE '%…%'`, which Chinese needs, without a scan of every event; one or two
    characters: the start of the name)."""
    text = (text or "").strip()
    if not text:
        return queryset
    try:
        ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        return queryset.filter(ip_address=text)
    if PARTIAL_IPV4.match(text):  # "10.44.55": the addresses of a subnet (rarely asked: no index)
        return queryset.filter(ip_address__startswith=text.rstrip(".") + ".")
    if text.isdigit():
        return queryset.filter(object_id=text)
    # The account first, as ids: inside the statement, `actor IN (subquery) OR name LIKE` is
    # estimated to match half the table, and the newest-first page then walks every month.
    actors = list(get_user_model().objects.filter(username=text).values_list("pk", flat=True))
    # A trigram index finds three characters anywhere; one or two (a two-character name, 曾贵) give
    # it nothing to look up, so they are matched at the start of the name (audit_repr_prefix_cover_idx).
    matching = Q(object_repr__contains=text) if len(text) >= 3 else Q(object_repr__startswith=text)
    return queryset.filter(matching | Q(actor__in=actors) if actors else matching)
