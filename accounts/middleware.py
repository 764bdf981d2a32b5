"""Applies the session rules on every request of a logged-in user (see accounts.policy)."""

import time

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.policy import idle_too_long, password_expired, touch
from audit.models import AuditAction
from audit.services import audit_record

# While the password is expired, only these paths stay open (change it, or leave).
OPEN_WHEN_EXPIRED = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/")


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
