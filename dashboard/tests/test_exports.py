import io

from django.urls import reverse
from openpyxl import load_workbook

from dashboard.models import ExportStatus, StatisticsExport
from grids.models import Role
from grids.tests.factories import make_staff


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [row for row in sheet.iter_rows(values_only=True)]


def test_the_child_table_downloads_as_xlsx_within_scope(client, tree, city):
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    response = client.get(reverse("dashboard:export_children"))
    rows = _sheet_rows(b"".join(response.streaming_content))
    assert [row[1] for row in rows] == ["区域", "a1社区", "a2社区", "合计"]
    assert rows[-1][2] == 3  # veterans of street a
    sibling = {"level": "street", "id": tree["street_b"].pk}
    assert client.get(reverse("dashboard:export_children"), sibling).status_code == 404


def test_every_grid_of_a_district_is_exported_in_the_background(
    client,
    tree,
    city,
    django_capture_on_commit_callbacks,
):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:export_start"), {"level": "district", "id": tree["district"].pk, "rows_level": "grid"}
        )
    export = StatisticsExport.objects.get()
    assert response["Location"] == reverse("dashboard:export", args=[export.pk])
    progress = client.get(reverse("dashboard:export_progress", args=[export.pk])).json()
    assert progress == {"finished": True, "done": 2, "total": 2, "status_display": "已完成"}
    download = client.get(reverse("dashboard:export_download", args=[export.pk]))
    rows = _sheet_rows(b"".join(download.streaming_content))
    assert len(rows) == 1 + 8 + 1 and rows[-1][2] == 5  # header, eight grids, total
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    assert client.get(reverse("dashboard:export_download", args=[export.pk])).status_code == 404


def test_a_street_cannot_export_the_district(client, tree):
    client.force_login(make_staff(tree["street_a"], role=Role.STATION_STAFF))
    response = client.post(
        reverse("dashboard:export_start"), {"level": "district", "id": tree["district"].pk, "rows_level": "grid"}
    )
    assert response.status_code == 404 and not StatisticsExport.objects.exists()
    assert ExportStatus.DONE == "done"
