"""API authentication that respects the second factor."""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

from accounts.policy import password_expired_for
from accounts.two_factor import needs_code
from audit.models import AuditAction, AuditResult
from audit.services import audit_record


class PasswordOnlyBasicAuthentication(BasicAuthentication):
    """HTTP Basic (username and password on every call) for accounts that log in with a password
    alone. An account that needs a second factor cannot skip it this way: it uses the session. An
    expired password is refused as on the pages (SessionPolicyMiddleware, which runs before DRF
    has logged anyone in this way), and the refusal is audited."""

    def authenticate_credentials(self, userid, password, request=None):
        user, auth = super().authenticate_credentials(userid, password, request)
        if needs_code(user):
            self._refused(user, request, "second_factor_required")
            raise exceptions.AuthenticationFailed(
                _("该账号须使用双因素认证，不能只凭用户名和密码调用接口；请在浏览器登录并输入动态验证码后使用。")
            )
        if password_expired_for(user):
            self._refused(user, request, "password_expired")
            raise exceptions.AuthenticationFailed(
                _("密码已过期，不能再用于调用接口；请在浏览器登录并设置新密码后再使用。"), code="password_expired"
            )
        return user, auth

    @staticmethod
    def _refused(user, request, reason: str) -> None:
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            actor=user,
            request=request,
            result=AuditResult.FAILURE,
            detail={"reason": reason, "via": "http_basic"},
        )


class PasswordOnlyBasicScheme(BasicScheme):
    """The API schema describes it as the HTTP Basic that it is."""

    target_class = "accounts.api.PasswordOnlyBasicAuthentication"
