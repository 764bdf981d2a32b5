"""Reads of accounts: what an account and a role group hold as stored, for the audit of a change
(accounts.services compares them before and after the admin's write)."""

from django.contrib.auth.models import Group

# What an account is allowed to do: a change of any of these is a role change.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser")
# The rest of the account; names and e-mail are recorded by name only (personal data).
PLAIN_FIELDS = ("username", "first_name", "last_name", "email")


def account_snapshot(user) -> dict | None:
    """The account as stored now (None for one not yet saved). Read from the database, not from
    `user`, because the admin's form has already put the new values on the instance."""
    if user.pk is None:
        return None
    stored = type(user).objects.filter(pk=user.pk).values(*PRIVILEGE_FIELDS, *PLAIN_FIELDS, "is_active").first()
    if stored is None:
        return None
    stored["groups"] = sorted(Group.objects.filter(user=user.pk).values_list("name", flat=True))
    stored["permissions"] = sorted(
        f"{app}.{codename}"
        for app, codename in type(user)
        .user_permissions.through.objects.filter(user_id=user.pk)
        .values_list("permission__content_type__app_label", "permission__codename")
    )
    return stored


def group_snapshot(group: Group) -> list[str] | None:
    if group.pk is None:
        return None
    return sorted(
        f"{app}.{codename}"
        for app, codename in Group.permissions.through.objects.filter(group_id=group.pk).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )
