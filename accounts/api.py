"""API authentication that respects the second factor."""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

from accounts.two_factor import needs_code


class PasswordOnlyBasicAuthentication(BasicAuthentication):
    """HTTP Basic (username and password on every call) for accounts that log in with a password
    alone. An account that needs a second factor cannot skip it this way: it uses the session."""

    def authenticate_credentials(self, userid, password, request=None):
        user, auth = super().authenticate_credentials(userid, password, request)
        if needs_code(user):
            raise exceptions.AuthenticationFailed(
                _("该账号须使用双因素认证，不能只凭用户名和密码调用接口；请在浏览器登录并输入动态验证码后使用。")
            )
        return user, auth


class PasswordOnlyBasicScheme(BasicScheme):
    """The API schema describes it as the HTTP Basic that it is."""

    target_class = "accounts.api.PasswordOnlyBasicAuthentication"
