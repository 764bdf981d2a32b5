"""Least privilege (三员分立): system admins manage accounts but see no veteran's data — not in the
admin, the API, the dashboard, the exports, the desk or the phone pages — unless they are also
given a data role; auditors likewise. Each test fails if its control is removed."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from assistance.models import HardshipCase
from core.errors import ApplicationError
from grids.models import AreaLevel, Role, StaffProfile
from grids.roles import ROLE_GROUP_NAMES
from grids.scoping import scope_queryset
from grids.services import staff_profile_change
from grids.tests.factories import make_staff
from veterans.models import Veteran
from veterans.selectors import veterans_for
from veterans.tests.factories import make_veteran
from visits.models import Visit
from visits.services import visit_record
from wishes.models import MicroWish

PAGES = [
    "/admin/veterans/veteran/",
    "/admin/visits/visit/",
    "/admin/assistance/hardshipcase/",
    "/admin/appeals/appeal/",
    "/admin/wishes/microwish/",
    "/dashboard/",
    "/veterans/ledgers/classification.xlsx",
    "/appeals/",
    "/appeals/export.xlsx",
    "/assistance/queue/",
    "/wishes/coverage/",
    "/api/veterans/",
    "/api/visits/",
    "/api/cases/",
    "/api/appeals/",
    "/api/wishes/",
    "/api/statistics/",
]


@pytest.fixture
def veteran(tree):
    veteran = make_veteran(tree["grid_a11"], name="张建国")
    worker = make_staff(grids=[tree["grid_a11"]])
    visit_record(veteran=veteran, acting_user=worker, method="home", visited_at=timezone.now())
    return veteran


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_admins_and_auditors_see_no_veteran_anywhere(tree, veteran, role):
    user = make_staff(tree["district"], role=role)
    client = Client()
    client.force_login(user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code in (403, 404), (page, response.status_code)
        assert "张建国" not in response.content.decode(), page
    # The phone pages need no permission to open, so the data itself must be out of reach.
    home = client.get("/m/")
    assert home.status_code == 200 and "张建国" not in home.content.decode()
    assert client.get(f"/m/v/{veteran.pk}/").status_code == 404
    assert client.post(f"/m/v/{veteran.pk}/phone/").status_code in (403, 404)
    admin_index = client.get("/admin/").content.decode()
    assert "/admin/veterans/" not in admin_index and "/admin/visits/visit/" not in admin_index


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDITOR])
def test_the_scoping_function_itself_gives_them_no_personal_rows(tree, veteran, role):
    user = make_staff(tree["district"], role=role)
    for model in (Veteran, Visit, HardshipCase, Appeal, MicroWish):
        assert not scope_queryset(user, model.objects.all()).exists(), model
    assert not veterans_for(user=user).exists()
    # The area tree and the accounts in it stay visible: that is their work.
    assert scope_queryset(user, StaffProfile.objects.all()).exists()


def test_a_system_admin_manages_accounts(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    client = Client()
    client.force_login(admin_user)
    assert client.get(reverse("admin:grids_staffprofile_changelist")).status_code == 200
    response = client.post(
        reverse("admin:grids_staffprofile_add"),
        {
            "username": "xin_wangge",
            "full_name": "新网格员",
            "password": "Xinmima#2027a",
            "phone": "",
            "role": Role.GRID_WORKER,
            "scope_level": AreaLevel.GRID,
            "grids": [tree["grid_a11"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert StaffProfile.objects.get(user__username="xin_wangge").role == Role.GRID_WORKER


def test_a_system_admin_cannot_give_themselves_a_data_role(tree):
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    profile = StaffProfile.objects.get(user=admin_user)
    with pytest.raises(ApplicationError, match="不能修改自己的角色"):
        staff_profile_change(
            profile=profile,
            role=Role.BUREAU_LEADER,
            scope_level=AreaLevel.DISTRICT,
            area=tree["district"],
            acting_user=admin_user,
        )
    profile.refresh_from_db()
    assert profile.role == Role.SYSTEM_ADMIN
    assert not admin_user.groups.filter(name=ROLE_GROUP_NAMES[Role.BUREAU_LEADER]).exists()


def test_a_system_admin_also_given_a_data_role_sees_the_data_of_their_scope(tree, veteran):
    """Combining is a deliberate grant (a superuser adds the data role's group), and then the
    scope still applies."""
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    admin_user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[Role.BUREAU_LEADER]))
    assert list(veterans_for(user=admin_user)) == [veteran]
    client = Client()
    client.force_login(admin_user)
    assert client.get("/api/veterans/").json()["count"] == 1
    assert client.get(reverse("admin:grids_staffprofile_changelist")).status_code == 200
