"""A grid worker on a phone refers a lone veteran's need to the district's elder canteen; a
provider of another district is refused with its message; the station records the canteen's
acceptance on its desk page and closes the referral with the outcome. Real headless Chromium."""

import os

import pytest

from grids.models import Role
from grids.tests.factories import PASSWORD, GridFactory, StreetFactory, make_staff
from referrals.models import Referral, ReferralStatus
from referrals.tests.factories import make_provider
from veterans.tests.factories import make_veteran

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


def _log_in(page, base: str, user, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.browser
def test_a_lone_veterans_need_goes_to_the_elder_canteen_and_is_closed(chromium_page, live_server, output_path):
    grid = GridFactory(name="朝阳里第三网格")
    worker = make_staff(grids=[grid])
    station = make_staff(grid.community.street, role=Role.STATION_STAFF)
    veteran = make_veteran(grid, name="刘振山", residence_address="朝阳里5号楼1门102")
    canteen = make_provider(grid.district, name="朝阳里老年食堂")
    make_provider(grid.district, name="区人民医院", kind="hospital")
    elsewhere = make_provider(StreetFactory(name="外区街道").district, name="外区老年食堂")
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    _log_in(page, live_server.url, worker, f"/m/v/{veteran.pk}/")
    page.click("text=转介服务")
    page.wait_for_selector("#referral-form")
    assert "外区老年食堂" not in page.inner_text("#id_provider")
    # A provider of another district, slipped into the list (as a stale page or a crafted post
    # would send it): refused with its message, nothing stored.
    page.evaluate(
        "([id, name]) => { const o = new Option(name, id); document.querySelector('#id_provider').add(o); }",
        [str(elsewhere.pk), elsewhere.name],
    )
    page.select_option("#id_provider", str(elsewhere.pk))
    page.fill("#id_need", "独居，行动不便，需要每日送餐")
    page.click("#referral-form button[type=submit]")
    page.wait_for_selector("text=不在该服务对象所在区/县的服务机构名录中")
    page.screenshot(path=os.path.join(output_path, "1-refused-other-district.png"), full_page=True)
    assert Referral.objects.count() == 0

    page.select_option("#id_provider", str(canteen.pk))
    page.fill("#id_need", "独居，行动不便，需要每日送餐")
    page.click("#referral-form button[type=submit]")
    page.wait_for_selector("#referral-status")
    assert page.inner_text("#referral-status") == "已转介待接收"
    page.screenshot(path=os.path.join(output_path, "2-referred-on-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    referral = Referral.objects.get()
    page.goto(f"{live_server.url}/m/v/{veteran.pk}/")
    assert "转介：朝阳里老年食堂" in page.content()

    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server.url, station, "/admin/")
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    page.click('form[data-step="accept"] button[type=submit]')
    page.wait_for_selector("text=已记录")
    assert page.inner_text("#referral-status") == "已接收"
    close = page.locator('form[data-step="close"]')
    close.locator("textarea").fill("已安排每日午餐送餐上门，本人满意")
    close.locator("button[type=submit]").click()
    page.wait_for_selector("#referral-outcome")
    assert page.inner_text("#referral-status") == "已办结"
    page.screenshot(path=os.path.join(output_path, "3-closed-at-the-station.png"), full_page=True)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "已安排每日午餐送餐上门，本人满意")
    assert list(referral.notes.values_list("kind", flat=True)) == ["refer", "accept", "close"]
