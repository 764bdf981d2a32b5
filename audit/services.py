"""The one write path for audit events."""

from contextvars import ContextVar

from django.conf import settings
from django.db.models import Model

from audit.models import AuditAction, AuditEvent, AuditResult


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when we run behind our own proxy."""
    if request is None:
        return None
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


# The address of the request being served (audit.middleware.ClientAddressMiddleware), so that
# services deep below a view record where the action came from without being handed the request.
# Outside a request (Celery tasks, management commands) it is None.
current_client_ip: ContextVar[str | None] = ContextVar("current_client_ip", default=None)


def audit_record(
    *,
    action: AuditAction,
    actor=None,
    request=None,
    username: str = "",
    obj: Model | None = None,
    result: AuditResult = AuditResult.SUCCESS,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records."""
    event = audit_event(action=action, actor=actor, request=request, username=username, result=result, detail=detail)
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    event.save()
    return event


def audit_event(
    *,
    action: AuditAction,
    actor=None,
    request=None,
    username: str = "",
    result: AuditResult = AuditResult.SUCCESS,
    detail: dict | None = None,
) -> AuditEvent:
    """The event audit_record appends, unsaved and without its object (who, from where, what)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and actor.pk is None:
        # A program acting for everyone (grids.scoping.SYSTEM) is no account: no actor row, its name.
        actor, username = None, str(actor)
    return AuditEvent(
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else username)[:150],
        ip_address=client_ip(request) if request is not None else current_client_ip.get(),
        action=action,
        result=result,
        detail=detail or {},
    )
