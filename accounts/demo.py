"""Second factor for the demo (`make run`): the demo accounts that need one share a public key.

The key is RFC 6238's own test secret ("12345678901234567890"), so it protects nothing and is
never used outside the demo accounts. Its current code is printed by `manage.py demo_otp_code` and,
while DEBUG is on, shown on the verification page of an account that uses it.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import DEVICE_NAME, second_factor_required

DEMO_TOTP_KEY = b"12345678901234567890".hex()
DEMO_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # noqa: S105 (public: the same key in base32)


def demo_code(now: float | None = None) -> str:
    generator = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    generator.time = now if now is not None else time.time()
    return f"{generator.token():06d}"


def demo_authenticators_ensure(usernames) -> int:
    """Give each named demo account that needs a second factor an authenticator with the demo key."""
    made = 0
    for user in get_user_model().objects.filter(username__in=list(usernames)):
        if second_factor_required(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
            made += 1
    return made


def code_hint(device: TOTPDevice | None) -> str | None:
    """The current demo code, only while DEBUG is on and only for a device with the demo key."""
    if not settings.DEBUG or device is None or device.key != DEMO_TOTP_KEY:
        return None
    return demo_code()
