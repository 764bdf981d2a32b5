"""Each session rule fails this file if it is removed: idle logout, one live session,
password expiry, password complexity."""

import datetime
import time

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountSecurity
from accounts.policy import LAST_SEEN
from audit.models import AuditEvent
from grids.models import Role
from grids.tests.factories import PASSWORD, make_staff


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
