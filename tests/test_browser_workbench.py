"""The admin workbench in a real headless Chromium: a transfer sent by one street's station and
accepted by the other's, and a near-duplicate pair merged from the review queue and the merge undone."""

import contextlib
import os

import pytest
from playwright.sync_api import Error as PlaywrightError

from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from merging.finder import pairs_find
from merging.models import DuplicatePair, PairStatus
from transfers.models import Transfer, TransferStatus
from veterans.models import Veteran
from veterans.tests.factories import make_veteran


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def _log_out(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/")
    assert "登录" in page.content()


def _screenshot(page, output_path, name):
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, name), full_page=True)


@pytest.mark.browser
def test_transfer_sent_by_one_street_and_accepted_by_the_other(chromium_page, live_server, output_path):
    home_street = StreetFactory(name="东城街道")
    away_street = StreetFactory(district=home_street.district, name="西城街道")
    home = GridFactory(community=CommunityFactory(street=home_street, name="东一社区"), name="东一网格")
    away = GridFactory(community=CommunityFactory(street=away_street, name="西一社区"), name="西一网格")
    veteran = make_veteran(home, name="王迁移")
    sender = make_staff(home_street, role=Role.STATION_STAFF)
    receiver = make_staff(away_street, role=Role.STATION_STAFF)
    page = chromium_page

    _log_in(page, live_server, sender)
    page.goto(f"{live_server.url}/admin/transfers/transfer/add/")
    with page.expect_popup() as picker:  # the scoped picker: the magnifier's popup of one's own people
        page.click("#lookup_id_veteran")
    popup = picker.value
    popup.wait_for_selector("#result_list")
    # Choosing a person closes the popup at once; Playwright may then find the page gone before
    # its own after-click checks finish. The filled field below is what counts.
    with contextlib.suppress(PlaywrightError):
        popup.click("#result_list a:has-text('王迁移')")
    page.wait_for_function("document.querySelector('#id_veteran').value !== ''")
    assert page.input_value("#id_veteran") == str(veteran.pk)
    page.select_option("#id_to_grid", str(away.pk))
    page.fill("#id_reason", "随子女异地居住")
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "王迁移" in page.inner_text("#result_list")
    transfer = Transfer.objects.get(veteran=veteran)
    assert transfer.status == TransferStatus.PENDING and transfer.started_by == sender

    _log_out(page, live_server)
    _log_in(page, live_server, receiver)
    response = page.goto(f"{live_server.url}/admin/veterans/veteran/{veteran.pk}/change/")
    assert response.status == 404 or "/change/" not in page.url
    assert "王迁移" not in page.content()

    page.goto(f"{live_server.url}/admin/transfers/transfer/?direction=in")
    assert "王迁移" in page.inner_text("#result_list")
    page.click("#result_list a:has-text('王迁移')")
    page.wait_for_selector("input[name=_accept]")
    assert "接收方处理" in page.content()
    page.click("input[name=_accept]")
    page.wait_for_selector(".messagelist")
    assert "已接收该档案。" in page.inner_text(".messagelist")
    assert page.locator("input[name=_accept]").count() == 0
    _screenshot(page, output_path, "transfer-accepted.png")

    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.decided_by == receiver
    assert Veteran.objects.get(pk=veteran.pk).grid == away
    page.goto(f"{live_server.url}/admin/veterans/veteran/{veteran.pk}/change/")  # now the receiver's
    assert page.input_value("#id_name") == "王迁移"


@pytest.mark.browser
def test_duplicate_pair_merged_from_the_queue_and_the_merge_undone(chromium_page, live_server, output_path):
    street = StreetFactory(name="南城街道")
    community = CommunityFactory(street=street, name="南一社区")
    first = make_veteran(GridFactory(community=community, name="南一网格"), name="李秀兰", phone="")
    second = make_veteran(GridFactory(community=community, name="南二网格"), name="李秀兰", phone="")
    pairs_find(acting_user=SYSTEM)
    pair = DuplicatePair.objects.get(first=first, second=second)
    staff = make_staff(street, role=Role.STATION_STAFF)
    page = chromium_page

    _log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/admin/merging/duplicatepair/")
    assert "李秀兰" in page.inner_text("#result_list")
    page.click(f"#result_list a[href*='/{pair.pk}/']")
    page.wait_for_selector("input[name=merge]")
    assert "疑似重复档案" in page.content()
    page.check(f"input[name=survivor][value='{second.pk}']")
    page.fill("#id_reason", "同一人重复建档")
    page.click("input[name=merge]")
    page.wait_for_selector(".messagelist")
    assert "已合并。" in page.inner_text(".messagelist")
    _screenshot(page, output_path, "duplicate-merged.png")

    pair.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert pair.status == PairStatus.MERGED and pair.survivor_id == second.pk and pair.decided_by == staff
    assert first.removed_at is not None and second.removed_at is None

    page.goto(f"{live_server.url}/admin/merging/duplicatepair/{pair.pk}/change/")
    page.wait_for_selector("input[name=undo]")
    page.fill("#id_reason", "合并有误")
    page.click("input[name=undo]")
    page.wait_for_selector(".messagelist")
    assert "已撤销合并。" in page.inner_text(".messagelist")
    _screenshot(page, output_path, "duplicate-undone.png")

    pair.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert pair.status == PairStatus.UNDONE
    assert first.removed_at is None and second.removed_at is None
