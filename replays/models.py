"""Receipts of the phone's form submissions, kept by the client_id fixed when the form opened.

A phone that loses its answer (no signal after the server stored the visit) sends the same
form again from its offline queue; the receipt makes that replay return the first outcome
instead of acting twice, for every phone form (visits, events, hardship reports, appeals, wishes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmitReceipt(models.Model):
    client_id = models.UUIDField(_("提交编号"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("提交人")
    )
    form = models.CharField(_("表单"), max_length=60)
    location = models.CharField(_("结果页面"), max_length=200)
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("离线提交回执")
        verbose_name_plural = _("离线提交回执")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.client_id)
