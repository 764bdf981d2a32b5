"""The session rules of a level-3 system: log out after inactivity, one live session per
account, and a password that expires. Numbers come from settings (environment)."""

import datetime
import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from accounts.models import AccountSecurity
from audit.models import AuditAction
from audit.services import audit_record

LAST_SEEN = "policy_last_seen"
EXPIRY_AT = "policy_password_expires"
TOUCH_EVERY_SECONDS = 60  # the session is written at most once a minute, not on every request


def password_expiry(changed_at: datetime.datetime | None) -> float | None:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or changed_at is None:
        return None
    return (changed_at + datetime.timedelta(days=days)).timestamp()


def start_session(request, user) -> None:
    """At login: end the account's previous session, remember this one, start the clocks."""
    now = timezone.now()
    security, _created = AccountSecurity.objects.get_or_create(user=user, defaults={"password_changed_at": now})
    current = request.session.session_key
    if security.session_key and security.session_key != current:
        _end(security.session_key)
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request, detail={"reason": "new_login_elsewhere"})
    AccountSecurity.objects.filter(pk=user.pk).update(session_key=current or "", logged_in_at=now)
    request.session[LAST_SEEN] = time.time()
    request.session[EXPIRY_AT] = password_expiry(security.password_changed_at)


def end_live_session(user) -> None:
    """End the account's live session, wherever it is (e.g. after its authenticator was reset)."""
    security = AccountSecurity.objects.filter(pk=user.pk).first()
    if security is not None and security.session_key:
        _end(security.session_key)
        AccountSecurity.objects.filter(pk=user.pk).update(session_key="")


def _end(session_key: str) -> None:
    from importlib import import_module

    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    store.delete()


def idle_too_long(session, now: float) -> bool:
    last = session.get(LAST_SEEN)
    return last is not None and now - last > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def touch(session, now: float) -> None:
    if now - session.get(LAST_SEEN, 0) > TOUCH_EVERY_SECONDS:
        session[LAST_SEEN] = now


def password_expired(session, now: float) -> bool:
    expires = session.get(EXPIRY_AT)
    return expires is not None and now > expires


def password_expired_for(user, now: float | None = None) -> bool:
    """For logins without a session (HTTP Basic on the API): the same rule, read from the account."""
    changed_at = AccountSecurity.objects.filter(pk=user.pk).values_list("password_changed_at", flat=True).first()
    expires = password_expiry(changed_at)
    return expires is not None and (time.time() if now is None else now) > expires


def password_renewed(request, user) -> None:
    """After the user set a new password (the validator hook stored the time)."""
    security = AccountSecurity.objects.filter(pk=user.pk).first()
    request.session[EXPIRY_AT] = password_expiry(security.password_changed_at if security else None)
