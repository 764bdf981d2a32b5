"""Applies the session rules (accounts.policy) and the second factor (accounts.two_factor) on every
request of a logged-in user."""

import time

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.policy import idle_too_long, password_expired, touch
from accounts.two_factor import ENROL, PASSED, second_factor_state
from audit.models import AuditAction
from audit.services import audit_record

# While the password is expired, only these paths stay open (change it, or leave).
OPEN_WHEN_EXPIRED = ("/accounts/password/", "/accounts/logout/", "/accounts/2fa/", "/static/", "/i18n/")
# Before the second factor, only these: enrol or verify, or leave.
OPEN_BEFORE_SECOND_FACTOR = (
    "/accounts/2fa/", "/accounts/login/", "/accounts/logout/", "/admin/logout/", "/static/", "/i18n/", "/healthz",
)  # fmt: skip


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            if idle_too_long(request.session, now):
                return self._idle_logout(request, user)
            touch(request.session, now)
            if password_expired(request.session, now) and not request.path.startswith(OPEN_WHEN_EXPIRED):
                message = _("密码已过期，请设置新密码后继续使用。")
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": message}, status=403)
                messages.warning(request, message)
                return redirect("password_change")
        return self.get_response(request)

    def _idle_logout(self, request, user):
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request, detail={"reason": "idle_timeout"})
        request.session.flush()  # logout() without its signal: this audit row says why
        request.user = AnonymousUser()
        message = _("长时间未操作，已自动退出，请重新登录。")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        return redirect(f"{reverse('login')}?next={request.path}")


class TwoFactorMiddleware:
    """Nothing but the enrolment and verification pages until the second factor is done, for the
    accounts that need one. Runs after django-otp's OTPMiddleware (which sets `is_verified`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_BEFORE_SECOND_FACTOR):
            return self.get_response(request)
        state = second_factor_state(user)
        if state == PASSED:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if state == ENROL:
                message = _("该账号须先启用双因素认证：请在浏览器中登录，用手机身份验证器扫码绑定后再使用接口。")
            else:
                message = _("请先在浏览器中输入动态验证码完成双因素认证，再使用接口。")
            return JsonResponse({"detail": message, "code": f"second_factor_{state}"}, status=403)
        target = reverse("otp_setup" if state == ENROL else "otp_verify")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
