"""Password rules beyond Django's own: character classes (complexity) and, through the
validator protocol's `password_changed` hook, the date a password was set (for expiry)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = [
    (re.compile(r"[a-z]"), "lower"),
    (re.compile(r"[A-Z]"), "upper"),
    (re.compile(r"[0-9]"), "digit"),
    (re.compile(r"[^a-zA-Z0-9]"), "symbol"),
]


class ComplexityValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, symbols; by
    default PASSWORD_MIN_CLASSES, read at each check (so a changed setting applies at once)."""

    def __init__(self, min_classes: int | None = None):
        self._min_classes = min_classes

    @property
    def min_classes(self) -> int:
        return self._min_classes if self._min_classes is not None else settings.PASSWORD_MIN_CLASSES

    def validate(self, password, user=None):
        present = sum(1 for pattern, _name in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "密码须包含大写字母、小写字母、数字、符号中的至少%(n)s类。",
            "密码须包含大写字母、小写字母、数字、符号中的至少%(n)s类。",
            self.min_classes,
        ) % {"n": self.min_classes}

    def password_changed(self, password, user=None):
        """Django calls this whenever a password is set and saved: start the expiry clock."""
        if user is None or user.pk is None:
            return
        from accounts.models import AccountSecurity

        AccountSecurity.objects.update_or_create(user=user, defaults={"password_changed_at": timezone.now()})


def password_change_message() -> str:
    return _("密码已过期，请设置新密码后继续使用。")
