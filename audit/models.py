"""Audit events: append-only. Rows are written once and never changed or deleted."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db.append_only import AppendOnlyModel
from core.fields import user_reference


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账户锁定")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    ROLE_CHANGE = "role_change", _("角色或管辖范围变更")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    VIEW_SENSITIVE = "view_sensitive", _("查看完整敏感信息")
    APPROVE = "approve", _("审批")
    PAY = "pay", _("发放")
    OTP_ENROLLED = "otp_enrolled", _("启用双因素认证")
    OTP_VERIFIED = "otp_verified", _("双因素认证通过")
    OTP_FAILED = "otp_failed", _("动态验证码错误")
    OTP_LOCKED = "otp_locked", _("双因素认证锁定")
    OTP_RESET = "otp_reset", _("重置双因素认证")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    ACCOUNT_DISABLED = "account_disabled", _("停用账号")
    ACCOUNT_ENABLED = "account_enabled", _("启用账号")
    BACKUP = "backup", _("备份")
    RESTORE = "restore", _("恢复备份")
    DUPLICATE_ELSEWHERE = "duplicate_elsewhere", _("重复建档（他区已有档案）")
    VIEW = "view", _("查阅档案")


class ViewPart(models.TextChoices):
    """Which part of a person's file was read (the `part` of a VIEW event's detail)."""

    ADMIN = "admin", _("管理后台")
    API = "api", _("接口")
    MOBILE = "mobile", _("手机卡片")
    IDENTITY = "identity", _("完整号码")
    PRINT = "print", _("打印档案")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class AuditEvent(AppendOnlyModel):
    """One key action: who, when, from where, what, on which object, with what result. Rows
    from logins by unknown names have no actor: only a city-wide auditor sees those."""

    scope_lookups = {
        "district": "actor__staff_profile__district_id",
        "street": "actor__staff_profile__street_id",
        "community": "actor__staff_profile__community_id",
    }

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    # No index of its own: audit_actor_idx (actor, occurred_at) leads with it.
    actor = user_reference(_("操作人"), db_index=False)
    # Kept as typed, so failed logins with unknown names are still recorded.
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    action = models.CharField(_("操作类型"), max_length=20, choices=AuditAction.choices)
    result = models.CharField(_("结果"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["occurred_at"], name="audit_occurred_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "occurred_at"], name="audit_action_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The auditor's search box: a record's number of any type, a client address. Text in
            # object_repr (a person's name) is searched through a trigram index on PostgreSQL
            # (migration 0012), which works on Chinese as on Latin letters.
            models.Index(fields=["object_id"], name="audit_object_id_idx"),
            # Names searched by one or two characters, from their start (LIKE 'x%' in any collation).
            # A two-character name starts tens of thousands of events; with the time, id and actor
            # in the index, the auditor's page picks its newest hundred (scope joined through the
            # actor) and the capped count from the index alone, and reads only those rows.
            models.Index(
                fields=["object_repr"],
                name="audit_repr_prefix_cover_idx",
                opclasses=["varchar_pattern_ops"],
                include=["occurred_at", "id", "actor"],
            ),
            models.Index(fields=["ip_address"], name="audit_ip_idx"),
        ]

    def __str__(self) -> str:
        at = timezone.localtime(self.occurred_at)  # Beijing time, as every page shows it
        return f"{at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.get_action_display()}"
