from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.policy import start_session


@receiver(user_logged_in, dispatch_uid="accounts_start_session")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session(request, user)
