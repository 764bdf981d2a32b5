from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.policy import start_session
from core.user_cache import forget_everyone
from grids.models import StaffProfile


@receiver(user_logged_in, dispatch_uid="accounts_start_session")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session(request, user)


# Cached permission sets, scopes and "has an authenticator" (core.user_cache) are retired on
# every change of what they are made of, by whichever path it comes: the services, the admin's
# user and group pages, or a migration (whose historical models send no model signals, hence
# post_migrate). Cache upkeep only, no business rule: that is why these are signals.
_MEMBERSHIPS = (
    get_user_model().groups.through,
    get_user_model().user_permissions.through,
    Group.permissions.through,
    StaffProfile.grids.through,
)


def _changed(sender, **kwargs):
    action = kwargs.get("action")
    if action is None or action.startswith("post_"):
        forget_everyone()


for _sender in _MEMBERSHIPS:
    m2m_changed.connect(_changed, sender=_sender, dispatch_uid=f"user_facts_m2m_{_sender._meta.label}")
for _sender in (StaffProfile, Group, Permission, TOTPDevice):
    post_save.connect(_changed, sender=_sender, dispatch_uid=f"user_facts_save_{_sender._meta.label}")
    post_delete.connect(_changed, sender=_sender, dispatch_uid=f"user_facts_delete_{_sender._meta.label}")
post_delete.connect(_changed, sender=get_user_model(), dispatch_uid="user_facts_delete_user")
post_migrate.connect(_changed, dispatch_uid="user_facts_migrate")
