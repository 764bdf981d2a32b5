"""The second factor (TOTP): each rule fails this file if it is removed — who must enrol, that no
page or API answers before the code, enrolment, verification at every login, the lock after
wrong codes, the password-only API, the administrator's reset, and the demo's public key."""

import base64
import datetime
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountSecurity
from accounts.two_factor import otp_devices_reset
from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.models import Role, StaffProfile, the_city
from grids.tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.two_factor

PAGES = ["/admin/", "/dashboard/", "/m/", "/appeals/", "/assistance/queue/", "/my-grid/", "/accounts/password/"]


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the phone shows now (or a step later: a code is accepted once, within one step)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():06d}"


def login(user, client=None):
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def actions(user) -> list[str]:
    return list(AuditEvent.objects.filter(actor=user).order_by("id").values_list("action", flat=True))


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.BUREAU_LEADER, "district"),
        (Role.BUREAU_LEADER, "city"),
        (Role.STATION_STAFF, "street_a"),
        (Role.SYSTEM_ADMIN, "district"),
        (Role.AUDITOR, "district"),
    ],
)
def test_required_roles_reach_no_page_and_no_api_before_enrolling(tree, role, area):
    user = make_staff(the_city() if area == "city" else tree[area], role=role)
    client = login(user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("otp_setup")), page
    api = client.get("/api/veterans/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_enrol" and "双因素认证" in api.json()["detail"]


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.GRID_LEADER])
def test_grid_teams_work_without_a_second_factor_by_default(tree, role):
    client = login(make_staff(grids=[tree["grid_a11"]], role=role))
    assert client.get("/m/").status_code == 200
    assert client.get("/api/visits/due/").status_code == 200


@override_settings(OTP_REQUIRED_ROLES=["grid_worker"])
def test_the_required_roles_are_a_setting(tree):
    client = login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get("/m/")["Location"].startswith(reverse("otp_setup"))
    staff_client = login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    assert staff_client.get("/appeals/").status_code == 200


def test_a_superuser_without_a_role_must_enrol_too(db, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client = login(admin)
    assert client.get("/admin/")["Location"].startswith(reverse("otp_setup"))


def test_enrolment_shows_a_server_drawn_qr_code_and_the_secret_and_a_code_confirms_it(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client = login(user)
    page = client.get(reverse("otp_setup"), {"next": "/appeals/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html  # drawn here, no script, nothing from the internet
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode()
    assert page.context["secret"].replace(" ", "") == secret and secret[:4] in html
    # Reloading keeps the secret (a phone that already scanned it stays valid).
    client.get(reverse("otp_setup"))
    assert TOTPDevice.objects.get(user=user).key == device.key

    wrong = client.post(reverse("otp_setup"), {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/appeals/").status_code == 302

    done = client.post(reverse("otp_setup"), {"token": code_for(device), "next": "/appeals/"})
    assert done.status_code == 302 and done["Location"] == "/appeals/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/appeals/").status_code == 200
    assert client.get("/api/appeals/").status_code == 200
    assert actions(user)[-2:] == ["otp_failed", "otp_enrolled"]
    # The single-session rule follows the session across the key change made at verification.
    assert AccountSecurity.objects.get(user=user).session_key == client.session.session_key


def test_every_login_after_enrolment_needs_a_fresh_code(tree):
    user = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    device = enrolled(user)
    client = login(user)
    response = client.get("/dashboard/")
    assert response["Location"] == f"{reverse('otp_verify')}?next=%2Fdashboard%2F"
    api = client.get("/api/veterans/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_verify"
    assert client.get(reverse("otp_setup"))["Location"] == reverse("otp_verify")  # no second enrolment

    code = code_for(device)
    ok = client.post(reverse("otp_verify"), {"token": code, "next": "/dashboard/"})
    assert ok.status_code == 302 and ok["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert "otp_verified" in actions(user)

    # The next login starts unverified again, and the code just used is spent.
    again = login(user)
    assert again.get("/dashboard/").status_code == 302
    replay = again.post(reverse("otp_verify"), {"token": code})
    assert replay.status_code == 200 and "此验证码已使用" in replay.content.decode()
    assert again.post(reverse("otp_verify"), {"token": code_for(device, steps_ahead=1)}).status_code == 302
    assert again.get("/dashboard/").status_code == 200


def test_five_wrong_codes_lock_the_second_step_for_a_while(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    device = enrolled(user)
    client = login(user)
    good = code_for(device)
    wrong = "000000" if good != "000000" else "111111"
    for tries_left in (4, 3, 2, 1):
        response = client.post(reverse("otp_verify"), {"token": wrong})
        assert f"还可以再试 {tries_left} 次" in response.content.decode()
    locked = client.post(reverse("otp_verify"), {"token": wrong})
    assert "已锁定" in locked.content.decode()
    # Locked: even the right code is refused, and the page says so when opened again.
    refused = client.post(reverse("otp_verify"), {"token": good})
    assert "已锁定" in refused.content.decode()
    assert client.get("/appeals/").status_code == 302
    assert "已锁定" in client.get(reverse("otp_verify")).content.decode()
    assert actions(user).count("otp_failed") == 5 and actions(user).count("otp_locked") == 1
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 5  # a refusal while locked is no try

    # After the lock (30 minutes by default) the right code works again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert client.post(reverse("otp_verify"), {"token": good}).status_code == 302
    assert client.get("/appeals/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_a_grid_worker_may_opt_in_and_then_must_give_the_code(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    client = login(worker)
    offer = client.get(reverse("my_grid")).content.decode()
    assert reverse("otp_setup") in offer  # offered on their own page
    page = client.get(reverse("otp_setup"), {"next": "/m/"})
    assert page.status_code == 200 and "暂不启用" in page.content.decode()
    device = TOTPDevice.objects.get(user=worker)
    assert client.post(reverse("otp_setup"), {"token": code_for(device)}).status_code == 302

    assert "已启用双因素认证" in client.get(reverse("my_grid")).content.decode()
    again = login(worker)
    assert again.get("/m/")["Location"].startswith(reverse("otp_verify"))
    assert again.get("/api/visits/due/").status_code == 403


def test_the_password_alone_does_not_open_the_api_to_accounts_that_need_a_code(tree):
    staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    enrolled(staff)
    credentials = base64.b64encode(f"{staff.username}:{PASSWORD}".encode()).decode()
    refused = Client().get("/api/appeals/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert refused.status_code == 403 and "双因素认证" in refused.json()["detail"]
    assert "results" not in refused.json()

    worker = make_staff(grids=[tree["grid_a11"]])
    credentials = base64.b64encode(f"{worker.username}:{PASSWORD}".encode()).decode()
    assert Client().get("/api/visits/due/", HTTP_AUTHORIZATION=f"Basic {credentials}").status_code == 200
    enrolled(worker)
    assert Client().get("/api/visits/due/", HTTP_AUTHORIZATION=f"Basic {credentials}").status_code == 403


def test_an_expired_password_and_a_missing_code_lead_to_the_code_first_without_a_loop(tree):
    user = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    device = enrolled(user)
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    client = login(user)
    response = client.get("/appeals/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("otp_verify"))
    assert response.status_code == 200
    client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert client.get("/appeals/")["Location"] == reverse("password_change")


def test_a_system_admin_resets_a_lost_phone_and_the_account_enrols_again(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    enrolled(admin_user)
    staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    device = enrolled(staff)
    staff_client = login(staff)
    staff_client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert staff_client.get("/appeals/").status_code == 200

    admin_client = login(admin_user)
    admin_client.post(reverse("otp_verify"), {"token": code_for(TOTPDevice.objects.get(user=admin_user))})
    profile = StaffProfile.objects.get(user=staff)
    changelist = reverse("admin:grids_staffprofile_changelist")
    response = admin_client.post(
        changelist, {"action": "reset_second_factor", "_selected_action": [profile.pk]}, follow=True
    )
    assert response.status_code == 200 and "已重置 1 个账号" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert staff_client.get("/appeals/").status_code == 302  # the live session has ended
    reset = AuditEvent.objects.get(action="otp_reset")
    assert reset.actor == admin_user and reset.detail["user"] == staff.username
    assert login(staff).get("/appeals/")["Location"].startswith(reverse("otp_setup"))


def test_only_account_managers_reset_and_never_their_own(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    other = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    enrolled(admin_user)
    enrolled(staff)
    with pytest.raises(ApplicationError, match="不能重置自己"):
        otp_devices_reset(user=admin_user, acting_user=admin_user)
    with pytest.raises(ApplicationError, match="没有重置双因素认证的权限"):
        otp_devices_reset(user=staff, acting_user=other)
    assert TOTPDevice.objects.filter(user__in=[admin_user, staff]).count() == 2
    assert not AuditEvent.objects.filter(action="otp_reset").exists()


def test_the_secret_keys_are_not_in_the_admin(tree):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)


def test_a_misspelt_required_role_is_a_configuration_error(settings):
    from accounts.checks import required_roles_exist

    settings.OTP_REQUIRED_ROLES = ["station_staff", "statoin_staff"]
    assert [error.id for error in required_roles_exist(None)] == ["accounts.E001"]
    settings.OTP_REQUIRED_ROLES = ["station_staff"]
    assert required_roles_exist(None) == []


def test_demo_accounts_share_the_public_demo_key_and_its_code_works(db, settings):
    from accounts.demo import DEMO_TOTP_KEY

    out = StringIO()
    call_command("seed_demo", "--streets", "2", "--communities", "3", "--grids", "6", stdout=out)
    assert "demo_otp_code" in out.getvalue()
    leader_device = TOTPDevice.objects.get(user__username="leader")
    assert leader_device.key == DEMO_TOTP_KEY and leader_device.confirmed
    assert not TOTPDevice.objects.filter(user__username="grid_worker").exists()  # optional for grid teams

    code = StringIO()
    call_command("demo_otp_code", stdout=code)
    client = Client()
    client.post(reverse("login"), {"username": "leader", "password": "Junren#2026"})
    assert "demo-code" not in client.get(reverse("otp_verify")).content.decode()  # never without DEBUG
    settings.DEBUG = True
    assert "demo-code" in client.get(reverse("otp_verify")).content.decode()
    assert client.post(reverse("otp_verify"), {"token": code.getvalue().strip()}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_the_demo_code_used_again_within_its_step_is_refused_as_used_not_as_wrong(tree, settings):
    from accounts.demo import DEMO_TOTP_KEY

    settings.DEBUG = True
    user = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    TOTPDevice.objects.create(user=user, name="身份验证器", key=DEMO_TOTP_KEY, confirmed=True)
    first = login(user)
    shown = first.get(reverse("otp_verify")).context["demo_code"]
    assert first.post(reverse("otp_verify"), {"token": shown}).status_code == 302

    again = login(user)  # logged in again within the same 30 seconds: the page shows the same code
    reused = again.post(reverse("otp_verify"), {"token": shown})

    body = reused.content.decode()
    assert reused.status_code == 200 and "此验证码已使用，请等待下一个" in body and "验证码不正确" not in body
    assert again.get("/dashboard/").status_code == 302  # still not verified
    event = AuditEvent.objects.filter(actor=user, action="otp_failed").get()
    assert event.detail["reused"] is True
    wrong = "000000" if shown != "000000" else "111111"
    assert "验证码不正确" in again.post(reverse("otp_verify"), {"token": wrong}).content.decode()
