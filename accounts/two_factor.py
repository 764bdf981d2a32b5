"""Two-factor authentication: a TOTP authenticator app (RFC 6238, via django-otp) after the password.

Who: the roles in `settings.OTP_REQUIRED_ROLES` (by default bureau leaders, station staff, system
admins and auditors) and superusers must enrol an authenticator and enter its six-digit code at
every login. Grid teams may enrol on their own page; once they have, they must enter it too.
Until then `accounts.middleware.TwoFactorMiddleware` lets them reach only the enrolment and
verification pages (the API answers 403).

Wrong codes: `OTP_FAILURE_LIMIT` in a row lock the second step for `OTP_LOCKOUT_MINUTES`. Every
enrolment, success, wrong code, lock and an administrator's reset is an audit row.
"""

import datetime
import math
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountSecurity
from accounts.policy import end_live_session
from accounts.services import account_manager_check
from audit.models import AuditAction, AuditResult
from audit.services import audit_record
from core.errors import ApplicationError
from core.user_cache import remembered
from grids.models import StaffProfile
from grids.scoping import user_scope

# What the middleware decides for a request.
PASSED, ENROL, VERIFY = "passed", "enrol", "verify"
DEVICE_NAME = "身份验证器"


def _role(user) -> str | None:
    scope = user_scope(user)  # cached on the request's user and reused by the views
    if scope is not None:
        return scope.role
    # No usable scope (e.g. a profile whose grids were all removed): the role still counts.
    return StaffProfile.objects.filter(user_id=user.pk).values_list("role", flat=True).first()


def second_factor_required(user) -> bool:
    """Whether the account must have a second factor, whether or not it has enrolled one."""
    return user.is_superuser or _role(user) in settings.OTP_REQUIRED_ROLES


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def has_authenticator(user) -> bool:
    """Asked on every request: kept with the user's other cached facts (core.user_cache), which
    any change of an authenticator retires (accounts.signals)."""
    return remembered(
        user, "has_authenticator", lambda: TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def needs_code(user) -> bool:
    """Whether a login of this account is complete only with a code (required, or opted in)."""
    return second_factor_required(user) or has_authenticator(user)


def second_factor_state(user) -> str:
    """PASSED when the session may go on; otherwise the page it must go to first."""
    if not user.is_authenticated:
        return PASSED
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    if is_verified is not None and is_verified():
        return PASSED
    required = second_factor_required(user)
    if has_authenticator(user):
        return VERIFY
    return ENROL if required else PASSED


# --- Enrolment ----------------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being set up: the same secret on every visit until it is confirmed, so
    reloading the page does not invalidate a code that was already scanned."""
    if has_authenticator(user):
        raise ApplicationError(_("您已启用双因素认证；如需更换手机，请联系系统管理员重置。"))
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here: nothing leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("用身份验证器扫描此二维码"))


def _clean(token: str) -> str:
    return "".join((token or "").split())


def otp_enrol(*, request, token: str) -> TOTPDevice:
    """Confirm the authenticator being set up with its first code; the session is then verified."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).order_by("id").first()
        if device is None:
            raise ApplicationError(_("请重新打开启用页面扫描二维码。"))
        accepted = device.verify_token(_clean(token))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
            audit_record(action=AuditAction.OTP_ENROLLED, actor=user, request=request, obj=device)
        else:
            audit_record(
                action=AuditAction.OTP_FAILED,
                actor=user,
                request=request,
                result=AuditResult.FAILURE,
                detail={"stage": "enrol"},
            )
    if not accepted:
        raise ApplicationError(_("验证码不正确，请核对手机时间后输入应用中显示的6位数字。"), field="token")
    _verified(request, device)
    return device


# --- Verification at login ----------------------------------------------------------------------


def locked_until(device: TOTPDevice, now: datetime.datetime) -> datetime.datetime | None:
    if device.throttling_failure_count < settings.OTP_FAILURE_LIMIT or device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + datetime.timedelta(minutes=settings.OTP_LOCKOUT_MINUTES)
    return until if until > now else None


def locked_message(until: datetime.datetime, now: datetime.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return _("验证码错误次数过多，双因素认证已锁定，请 %(minutes)s 分钟后再试，或联系系统管理员。") % {
        "minutes": minutes
    }


def otp_verify(*, request, token: str) -> TOTPDevice:
    """Check the code of the user's authenticator. Counts wrong codes and locks after the limit;
    the failures and the lock are recorded even though the step is refused."""
    user = request.user
    now = timezone.now()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True).first()
        if device is None:
            raise ApplicationError(_("尚未启用双因素认证。"))
        until = locked_until(device, now)
        if until is None:
            if device.throttling_failure_count >= settings.OTP_FAILURE_LIMIT:
                device.throttle_reset(commit=False)  # the lock has run out: a fresh set of tries
            accepted = device.verify_token(_clean(token))  # saves the device, success or failure
            failures = device.throttling_failure_count
            reused = not accepted and code_already_used(device, _clean(token))
            if accepted:
                audit_record(action=AuditAction.OTP_VERIFIED, actor=user, request=request, obj=device)
            else:
                audit_record(
                    action=AuditAction.OTP_FAILED,
                    actor=user,
                    request=request,
                    result=AuditResult.FAILURE,
                    obj=device,
                    detail={"stage": "login", "failures": failures, "reused": reused},
                )
                if failures >= settings.OTP_FAILURE_LIMIT:
                    until = locked_until(device, now)
                    audit_record(
                        action=AuditAction.OTP_LOCKED,
                        actor=user,
                        request=request,
                        result=AuditResult.FAILURE,
                        obj=device,
                        detail={"failures": failures, "minutes": settings.OTP_LOCKOUT_MINUTES},
                    )
        else:
            accepted = False
    if until is not None:
        raise ApplicationError(locked_message(until, now), field="token", code="locked")
    if not accepted:
        left = settings.OTP_FAILURE_LIMIT - failures
        if reused:  # the right code, but spent: the person needs to wait, not to check the phone
            raise ApplicationError(
                _("此验证码已使用，请等待下一个验证码（约30秒更新一次），还可以再试 %(left)s 次。") % {"left": left},
                field="token",
                code="code_used",
            )
        raise ApplicationError(
            _("验证码不正确，还可以再试 %(left)s 次。") % {"left": left}, field="token", code="wrong_code"
        )
    _verified(request, device)
    return device


def code_already_used(device: TOTPDevice, token: str) -> bool:
    """Whether `token` is the authenticator's code for a time step that would still be accepted
    but was already used. A code works once (django-otp accepts no step at or before the last one
    it accepted), so logging in twice within 30 seconds offers the same, spent, code."""
    if device.last_t < 0 or not token.isdigit():
        return False
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = generator.t()
    for step in range(now - device.tolerance, min(now + device.tolerance, device.last_t) + 1):
        if hotp(device.bin_key, step, digits=device.digits) == int(token):
            return True
    return False


def _verified(request, device: TOTPDevice) -> None:
    """Mark the session verified, under a new session key (the privilege of the session rose)."""
    otp_login(request, device)
    request.session.cycle_key()
    # The single-session rule ends "the account's live session" at the next login: that is now this key.
    AccountSecurity.objects.filter(pk=request.user.pk).update(session_key=request.session.session_key)


# --- Administration -----------------------------------------------------------------------------


@transaction.atomic
def otp_devices_reset(*, user, acting_user, request=None) -> int:
    """Remove the account's authenticators (a lost or replaced phone) and end its live session; at
    the next login it enrols again. Only account managers may, and not for their own account."""
    profile = account_manager_check(
        user=user,
        acting_user=acting_user,
        not_allowed=_("您没有重置双因素认证的权限。"),
        not_own=_("不能重置自己的双因素认证，请由另一名系统管理员操作。"),
    )
    removed, _per_model = TOTPDevice.objects.filter(user_id=user.pk).delete()
    end_live_session(user)
    audit_record(
        action=AuditAction.OTP_RESET,
        actor=acting_user,
        request=request,
        obj=profile or user,
        detail={"user": user.get_username(), "devices": removed},
    )
    return removed
