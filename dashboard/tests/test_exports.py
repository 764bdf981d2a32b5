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


def test_the_fund_and_campaign_tables_download_within_scope(client, tree, city):
    import datetime

    from django.utils import timezone

    from assistance.services import fund_create, fund_receive
    from grids.tests.factories import StreetFactory
    from visits.services import campaign_create, visit_record

    today = timezone.localdate()
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    fund = fund_create(name="区关爱基金", level="district", district=tree["district"], acting_user=leader)
    fund_receive(fund=fund, kind="allocation", amount="5000", acting_user=leader)
    elsewhere = StreetFactory(name="外区街道").district
    fund_create(name="外区基金", level="district", district=elsewhere, acting_user=make_staff(elsewhere))
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    campaign = campaign_create(
        name="八一慰问",
        kind="army_day",
        target="all",
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=2),
        area=tree["street_a"],
        acting_user=station,
    )
    campaign_create(
        name="乙街慰问",
        kind="army_day",
        target="all",
        starts_on=today,
        ends_on=today,
        area=tree["street_b"],
        acting_user=make_staff(tree["street_b"], role=Role.STATION_STAFF),
    )
    visit_record(
        veteran=city["korean_war"],
        acting_user=make_staff(grids=[tree["grid_a11"]]),
        method="home",
        kind="campaign",
        campaign=campaign,
    )
    client.force_login(leader)
    funds = _sheet_rows(b"".join(client.get(reverse("dashboard:export_funds")).streaming_content))
    assert funds[0][1:] == ("基金", "级别", "累计筹集（元）", "累计支出（元）", "结余（元）")
    assert [(r[1], r[3], r[5]) for r in funds[1:]] == [("区关爱基金", 5000, 5000)]
    client.force_login(station)
    campaigns = _sheet_rows(b"".join(client.get(reverse("dashboard:export_campaigns")).streaming_content))
    assert [(r[1], r[5], r[6]) for r in campaigns[1:]] == [("八一慰问", 3, 1)]
    sibling = {"level": "street", "id": tree["street_b"].pk}
    assert client.get(reverse("dashboard:export_campaigns"), sibling).status_code == 404
