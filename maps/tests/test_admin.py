"""The station's pages: the boundary upload with its list of bad features, the homes list with
its outside-the-grid filter, the hand-set home, the import of two columns, the visit action."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grids.scoping import SYSTEM
from maps.homes import home_set
from maps.models import AreaBoundary, HomePosition
from maps.tests.conftest import geojson_file
from maps.tests.test_boundaries import BOWTIE
from maps.tiling import point_inside, rectangle
from veterans.tests.factories import make_veteran


def test_the_upload_page_lists_each_bad_feature_and_stores_nothing(client, tree, bounds, people):
    client.force_login(people["station"])
    upload = geojson_file([(tree["grid_a11"].code, BOWTIE), ("NOSUCH9", rectangle(bounds["grid_a12"]))])
    response = client.post(reverse("admin:maps_boundary_upload"), {"level": "grid", "within": "", "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "自相交" in page and "NOSUCH9" in page and "未保存任何边界" in page
    assert AreaBoundary.objects.count() == 0


def test_a_good_upload_narrowed_to_a_community_is_stored(client, tree, bounds, people):
    client.force_login(people["station"])
    community = tree["community_a1"]
    upload = geojson_file([(tree[k].code, rectangle(bounds[k])) for k in ("grid_a11", "grid_a12")])
    response = client.post(
        reverse("admin:maps_boundary_upload"), {"level": "grid", "within": f"community:{community.pk}", "file": upload}
    )
    assert response.status_code == 302
    assert AreaBoundary.objects.filter(level="grid", community=community).count() == 2
    listing = client.get(reverse("admin:maps_areaboundary_changelist"))
    assert "a1-1网格" in listing.content.decode()


def test_a_grid_worker_cannot_open_the_upload_page(client, tree, people):
    client.force_login(people["worker"])
    assert client.get(reverse("admin:maps_boundary_upload")).status_code in (302, 403)


def test_the_homes_list_filters_homes_outside_their_grid(client, bounded_tree, bounds, people):
    inside, outside = (
        make_veteran(bounded_tree["grid_a11"], name="甲在内"),
        make_veteran(bounded_tree["grid_a12"], name="乙在外"),
    )
    longitude, latitude = point_inside(bounds["grid_a11"], 0.5, 0.5)
    home_set(veteran=inside, longitude=longitude, latitude=latitude, acting_user=SYSTEM)
    home_set(veteran=outside, longitude="100", latitude="20", acting_user=SYSTEM)
    client.force_login(people["station"])
    page = client.get(reverse("admin:maps_homeposition_changelist"), {"outside_grid__exact": "1"}).content.decode()
    assert "乙在外" in page and "甲在内" not in page


def test_the_station_sets_a_home_by_hand(client, bounded_tree, bounds, people):
    veteran = make_veteran(bounded_tree["grid_a11"])
    longitude, latitude = point_inside(bounds["grid_a11"], 0.5, 0.5)
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:maps_homeposition_add"),
        {"veteran": veteran.pk, "longitude": f"{longitude:.6f}", "latitude": f"{latitude:.6f}"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    home = HomePosition.objects.get(veteran=veteran)
    assert home.source == "picked" and home.confirmed_by == people["station"] and not home.outside_grid


def _sheet(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["公民身份号码", "档案编号", "经度", "纬度"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("homes.xlsx", buffer.getvalue())


def test_the_import_refuses_bad_rows_by_number_then_stores_a_good_file(client, bounded_tree, bounds, people):
    mine = make_veteran(bounded_tree["grid_a11"])
    theirs = make_veteran(bounded_tree["grid_b11"])
    longitude, latitude = point_inside(bounds["grid_a11"], 0.5, 0.5)
    client.force_login(people["station"])
    bad = _sheet(
        [
            [mine.id_number, "", f"{longitude:.6f}", "95"],
            ["", str(theirs.pk), "117.1", "39.1"],
            ["", "", "117.1", "39.1"],
        ]
    )
    page = client.post(reverse("admin:maps_home_import"), {"file": bad}).content.decode()
    assert "纬度应在 -90 到 90 之间" in page and "找不到此人" in page and "请填写公民身份号码或档案编号" in page
    assert "<td>2</td>" in page and "<td>3</td>" in page and "<td>4</td>" in page
    assert HomePosition.objects.count() == 0
    good = _sheet([["", str(mine.pk), f"{longitude:.6f}", f"{latitude:.6f}"]])
    assert client.post(reverse("admin:maps_home_import"), {"file": good}).status_code == 302
    assert HomePosition.objects.get().source == "import"
