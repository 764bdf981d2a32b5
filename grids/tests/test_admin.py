import re

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from grids.models import Grid, Role, StaffProfile
from grids.tests.factories import make_staff
from grids.tests.test_area_import import GOOD_ROWS, xlsx


def login(client, user):
    client.force_login(user)
    return client


def listed_names(response) -> set[str]:
    return set(re.findall(r'class="field-name">([^<]+)<', response.content.decode()))


def test_community_staff_see_only_their_community_grids(client, tree):
    login(client, make_staff(tree["community_a2"]))
    response = client.get(reverse("admin:grids_grid_changelist"))
    assert response.status_code == 200
    assert listed_names(response) == {"a2-1网格", "a2-2网格"}


def test_street_staff_see_their_street_grids(client, tree):
    login(client, make_staff(tree["street_b"]))
    response = client.get(reverse("admin:grids_grid_changelist"))
    assert listed_names(response) == {"b1-1网格", "b1-2网格", "b2-1网格", "b2-2网格"}


def test_leader_sees_all_grids_of_the_district(client, tree):
    login(client, make_staff(tree["district"], role=Role.BUREAU_LEADER))
    response = client.get(reverse("admin:grids_grid_changelist"))
    assert len(listed_names(response)) == 8


def test_station_staff_cannot_open_another_communitys_grid(client, tree):
    login(client, make_staff(tree["community_a1"]))
    url = reverse("admin:grids_grid_change", args=[tree["grid_b11"].pk])
    response = client.get(url)
    assert response.status_code == 302  # the admin redirects away from objects it cannot find
    assert "b1-1网格" not in client.get(response.url).content.decode()


def test_grid_worker_cannot_open_the_admin_area_pages(client, tree):
    login(client, make_staff(grids=[tree["grid_a11"]]))
    for name in ("admin:grids_grid_changelist", "admin:grids_community_changelist", "admin:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_station_staff_add_a_grid_only_inside_their_community(client, tree):
    login(client, make_staff(tree["community_a1"]))
    url = reverse("admin:grids_grid_add")
    response = client.post(url, {"community": tree["community_a1"].pk, "code": "900", "name": "新网格"})
    assert response.status_code == 302
    grid = Grid.objects.get(code="900")
    assert (grid.street_id, grid.district_id) == (tree["street_a"].pk, tree["district"].pk)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(grid.pk)).exists()

    response = client.post(url, {"community": tree["community_b1"].pk, "code": "901", "name": "越界网格"})
    assert response.status_code == 200  # form redisplayed with an error
    assert not Grid.objects.filter(code="901").exists()


def test_duplicate_grid_code_gives_a_form_error(client, tree):
    login(client, make_staff(tree["community_a1"]))
    existing = tree["grid_a11"]
    response = client.post(
        reverse("admin:grids_grid_add"),
        {"community": tree["community_a1"].pk, "code": existing.code, "name": "x"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_area_upload_page_imports_a_good_file(client, db):
    from grids.tests.factories import DistrictFactory

    district = DistrictFactory(code="110000")
    login(client, make_staff(district, role=Role.SYSTEM_ADMIN))
    response = client.post(reverse("admin:grids_area_import"), {"file": xlsx(GOOD_ROWS)})
    assert response.status_code == 302
    assert Grid.objects.filter(code="120101001001002").exists()


def test_area_upload_page_lists_errors_and_writes_nothing(client, db):
    from grids.tests.factories import DistrictFactory

    login(client, make_staff(DistrictFactory(code="110000"), role=Role.SYSTEM_ADMIN))
    rows = [*GOOD_ROWS, ["网格", "X", "错层", "120101001"]]
    response = client.post(reverse("admin:grids_area_import"), {"file": xlsx(rows)})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="import-errors"' in body and "<td>7</td>" in body
    assert not Grid.objects.exists()


def test_station_staff_cannot_open_the_upload_page(client, tree):
    login(client, make_staff(tree["street_a"]))
    assert client.get(reverse("admin:grids_area_import")).status_code == 403


def test_template_download(client, tree):
    login(client, make_staff(tree["district"], role=Role.SYSTEM_ADMIN))
    response = client.get(reverse("admin:grids_area_import_template"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_system_admin_creates_a_grid_worker_account_with_group(client, tree):
    login(client, make_staff(tree["district"], role=Role.SYSTEM_ADMIN))
    response = client.post(
        reverse("admin:grids_staffprofile_add"),
        {
            "username": "new_worker",
            "full_name": "张三",
            "password": "Strong#pass2026",
            "role": Role.GRID_WORKER,
            "scope_level": "grid",
            "grids": [tree["grid_a11"].pk],
            "phone": "13800001111",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = StaffProfile.objects.get(user__username="new_worker")
    assert list(profile.grids.all()) == [tree["grid_a11"]]
    assert profile.user.groups.get().name == "网格员"
    assert not profile.user.is_staff


def test_staff_list_is_scoped(client, tree):
    make_staff(grids=[tree["grid_b11"]], username="worker_b")
    make_staff(grids=[tree["grid_a11"]], username="worker_a")
    login(client, make_staff(tree["street_a"]))
    body = client.get(reverse("admin:grids_staffprofile_changelist")).content.decode()
    assert "worker_a" in body and "worker_b" not in body


@pytest.mark.parametrize("url_name", ["admin:grids_grid_changelist", "admin:grids_staffprofile_changelist"])
def test_admin_lists_use_a_bounded_number_of_queries(client, tree, url_name, django_assert_max_num_queries):
    for grid_key in ("grid_a11", "grid_a12", "grid_b11"):
        make_staff(grids=[tree[grid_key]])
    login(client, make_staff(tree["district"], role=Role.BUREAU_LEADER))
    with django_assert_max_num_queries(12):
        assert client.get(reverse(url_name)).status_code == 200
