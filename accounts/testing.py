"""For tests and the benchmark that are not about the second factor: sessions that have passed it.

Not imported by the application itself.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import DEVICE_NAME, needs_code


def authenticator_for(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        # bulk_create sends no post_save: a test's login must not retire the cached user facts
        # (accounts.signals) and so change the query counts the test is measuring.
        (device,) = TOTPDevice.objects.bulk_create([TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)])
        if device.pk is None:  # backends that return no ids from bulk_create
            device = TOTPDevice.objects.get(user_id=user.pk, confirmed=True)
    return device


def mark_session_verified(session, user) -> None:
    """What a correct code does to a session (django_otp.login), without typing the code."""
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id


def verified_login(client, user) -> None:
    """`client.force_login(user)` followed by a passed second step."""
    client.force_login(user)
    session = client.session
    mark_session_verified(session, user)
    session.save()


def verify_every_login(sender, request, user, **kwargs) -> None:
    """A `user_logged_in` receiver: every login, by form or force_login, passes the second step
    (accounts without one, e.g. grid workers who did not opt in, log in as they would)."""
    if request is not None and hasattr(request, "session") and needs_code(user):
        mark_session_verified(request.session, user)
