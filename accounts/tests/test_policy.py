"""Each session rule fails this file if it is removed: idle logout, one live session,
password expiry, password complexity."""

import base64
import datetime
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountSecurity
from accounts.policy import LAST_SEEN
from audit.models import AuditAction, AuditEvent, AuditResult
from grids.models import Role
from grids.tests.factories import PASSWORD, make_staff
from veterans.tests.factories import make_veteran


def _login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_an_idle_session_is_logged_out_with_an_audit_row(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client = _login(Client(), user)
    assert client.get(reverse("appeals:list")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("appeals:list")).status_code == 302  # and it stays logged out
    assert AuditEvent.objects.filter(actor=user, action="logout", detail__reason="idle_timeout").exists()


@override_settings(SESSION_IDLE_TIMEOUT_MINUTES=5)
def test_the_idle_limit_is_a_setting_and_the_api_answers_401(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client = _login(Client(), user)
    session = client.session
    session[LAST_SEEN] = time.time() - 6 * 60
    session.save()
    assert client.get("/api/appeals/").status_code == 401


def test_a_new_login_ends_the_previous_session(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    first, second = _login(Client(), user), Client()
    assert first.get(reverse("appeals:list")).status_code == 200
    _login(second, user)
    assert second.get(reverse("appeals:list")).status_code == 200
    assert first.get(reverse("appeals:list")).status_code == 302  # the first phone/browser is out
    assert AccountSecurity.objects.get(user=user).session_key == second.session.session_key
    assert AuditEvent.objects.filter(actor=user, detail__reason="new_login_elsewhere").exists()


def test_an_expired_password_must_be_changed_before_anything_else(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    client = _login(Client(), user)
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert client.get("/api/appeals/").status_code == 403
    new = "Xinmima#2027a"
    changed = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    assert client.get(reverse("appeals:list")).status_code == 200
    security = AccountSecurity.objects.get(user=user)
    assert timezone.now() - security.password_changed_at < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("password", ["alllowercase1", "ALLUPPER123", "short#A1"])
def test_simple_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password)


def test_a_password_of_three_kinds_and_ten_characters_is_accepted():
    password_validation.validate_password("Junren#2026x")


def _basic(user, password=PASSWORD) -> dict:
    credentials = base64.b64encode(f"{user.username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {credentials}", "REMOTE_ADDR": "10.7.7.7"}


def _password_age(user, days: int) -> None:
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - datetime.timedelta(days=days))


def test_an_expired_password_does_not_open_the_api_over_http_basic_and_the_refusal_is_audited(tree):
    worker = make_staff(grids=[tree["grid_a11"]])  # no second factor: Basic is open to this account
    assert Client().get("/api/visits/due/", **_basic(worker)).status_code == 200
    _password_age(worker, 91)
    refused = Client().get("/api/visits/due/", **_basic(worker))
    assert refused.status_code in (401, 403) and "密码已过期" in refused.json()["detail"]
    assert "results" not in refused.json()
    event = AuditEvent.objects.get(actor=worker, action=AuditAction.LOGIN_FAILED)
    assert (event.result, event.ip_address) == (AuditResult.FAILURE, "10.7.7.7")
    assert event.detail == {"reason": "password_expired", "via": "http_basic"}
    # Nothing is written through an expired password either.
    veteran = make_veteran(tree["grid_a11"])
    patched = Client().patch(
        f"/api/veterans/{veteran.pk}/", {"skills": "越权"}, content_type="application/json", **_basic(worker)
    )
    assert patched.status_code in (401, 403)
    veteran.refresh_from_db()
    assert veteran.skills != "越权"


@override_settings(PASSWORD_MAX_AGE_DAYS=30)
def test_the_password_age_limit_is_a_setting_for_pages_and_api_alike(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    _password_age(worker, 29)
    assert Client().get("/api/visits/due/", **_basic(worker)).status_code == 200
    assert _login(Client(), worker).get(reverse("my_grid")).status_code == 200
    _password_age(worker, 31)
    assert Client().get("/api/visits/due/", **_basic(worker)).status_code in (401, 403)
    response = _login(Client(), worker).get(reverse("my_grid"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


@override_settings(PASSWORD_MAX_AGE_DAYS=0)
def test_a_password_age_limit_of_zero_means_passwords_never_expire(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    _password_age(worker, 3650)
    assert Client().get("/api/visits/due/", **_basic(worker)).status_code == 200
    assert _login(Client(), worker).get(reverse("my_grid")).status_code == 200


THREE_KINDS, TWO_KINDS = "junren#2026x", "junren2026xy"  # lower+symbol+digit; lower+digit


def test_the_number_of_kinds_a_password_needs_is_a_setting():
    password_validation.validate_password(THREE_KINDS)
    with pytest.raises(ValidationError):
        password_validation.validate_password(TWO_KINDS)
    with override_settings(PASSWORD_MIN_CLASSES=4):
        with pytest.raises(ValidationError, match="至少4类"):
            password_validation.validate_password(THREE_KINDS)
        password_validation.validate_password("Junren#2026x")
    with override_settings(PASSWORD_MIN_CLASSES=2):
        password_validation.validate_password(TWO_KINDS)


def test_password_rules_are_read_from_the_environment():
    probe = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.contrib.auth import password_validation as v; from django.core.exceptions import ValidationError\n"
        "def refused(p):\n"
        "    try: v.validate_password(p)\n"
        "    except ValidationError: return True\n"
        "    return False\n"
        f"print(json.dumps({{'days': settings.PASSWORD_MAX_AGE_DAYS, 'refused': refused({THREE_KINDS!r})}}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PASSWORD_MIN_CLASSES="4", PASSWORD_MAX_AGE_DAYS="30")
    output = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    assert json.loads(output.stdout.strip().splitlines()[-1]) == {"days": 30, "refused": True}
