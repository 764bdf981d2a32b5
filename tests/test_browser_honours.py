"""A 立功喜报 in real headless Chromium: the station logs the notice received for a serving soldier's
family; the grid worker records on the phone that the family received it; the station's ledger
export (立功喜报送达台账) carries the delivery date."""

import io
import os

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from honours.models import MeritNotice
from veterans.tests.factories import make_survivor

PHONE = {"width": 360, "height": 740}


def _log_in(page, live_server, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit], input[type=submit]")


def _shot(page, output_path, name):
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, name), full_page=True)


@pytest.mark.browser
def test_notice_received_by_the_station_delivered_on_the_phone_and_in_the_ledger(
    chromium_page, live_server, output_path
):
    street = StreetFactory(name="朝阳街道")
    grid = GridFactory(community=CommunityFactory(street=street, name="朝阳里社区"), name="朝阳里第一网格")
    station = make_staff(street, role=Role.STATION_STAFF)
    worker = make_staff(grids=[grid])
    family = make_survivor(
        grid,
        name="刘桂英",
        person_kind="serving_family",
        soldier={"name": "王小兵", "unit": "某部", "relation": "child"},
    )
    today = timezone.localdate()
    page = chromium_page

    # The station logs the notice the bureau received (soldier and unit from the family's file).
    _log_in(page, live_server, station, "/admin/honours/meritnotice/add/")
    page.wait_for_selector("#id_family")
    page.fill("#id_family", str(family.pk))
    page.fill("#id_unit", "武警某支队")
    page.select_option("#id_merit_kind", "third_class")
    page.fill("#id_received_on", today.isoformat())
    _shot(page, output_path, "1-station-logs-notice.png")
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "待送达" in page.inner_text("#result_list")
    notice = MeritNotice.objects.get()
    assert notice.soldier_name == "王小兵" and notice.delivered_on is None

    # The grid worker, on the phone, opens the family's card and records the delivery.
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, worker, f"/m/v/{family.pk}/")
    page.click("a:has-text('送达喜报')")
    page.wait_for_selector("#deliver-form")
    assert "王小兵 · 三等功" in page.inner_text("#deliver-form")
    page.select_option("#id_delivery_way", "home")
    page.fill("#id_note", "母亲签收，合影留念")
    _shot(page, output_path, "2-phone-delivery-form.png")
    page.click("#submit-delivery")
    page.wait_for_selector("text=已登记喜报送达")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, output_path, "3-phone-card-after.png")
    notice.refresh_from_db()
    assert notice.delivered_on == today and notice.delivered_by == worker

    # The station exports the ledger: the notice is there with the day the family received it.
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_server, station, "/admin/honours/meritnotice/")
    page.wait_for_selector("#result_list")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "export_ledger")
    _shot(page, output_path, "4-station-ledger.png")
    with page.expect_download() as download:
        page.click("button[name=index]")
    with open(download.value.path(), "rb") as saved:  # saved without a suffix openpyxl would go by
        book = load_workbook(io.BytesIO(saved.read()), read_only=True)
    header, *rows = [row for row in book.worksheets[0].iter_rows(values_only=True) if any(row)]
    record = dict(zip(header, rows[0], strict=False))
    assert record["军属姓名"] == "刘桂英" and record["立功军人姓名"] == "王小兵"
    assert record["送达日期"].date() == today and record["送达方式"] == "上门送达"
