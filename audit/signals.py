"""Logins, logouts, failures and lockouts reach us only as signals; record each one."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditAction, AuditResult
from audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=str(credentials.get("username", "")),
        request=request,
        result=AuditResult.FAILURE,
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def record_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action=AuditAction.LOCKED_OUT,
        username=str(username or ""),
        request=request,
        result=AuditResult.FAILURE,
    )
