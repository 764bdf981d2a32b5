"""Per-account security state that Django's user table does not keep."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """When the password was last set (for expiry) and which session is the live one (a new
    login ends the previous session)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="security",
        verbose_name=_("用户"),
    )
    password_changed_at = models.DateTimeField(_("密码设置时间"), null=True, blank=True)
    session_key = models.CharField(_("当前会话"), max_length=40, blank=True)
    logged_in_at = models.DateTimeField(_("最近登录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)
