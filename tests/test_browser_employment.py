"""The registry in a real headless Chromium: a station clerk finds a job-seeking veteran in the
admin, refers him to a partner employer, records him hired; the board's 今年实现就业 counts him and
its link lists him."""

import datetime
import os

import pytest
from django.utils import timezone

from employment.models import EmploymentProfile, JobReferral
from employment.tests.factories import make_employer, make_profile
from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from veterans.tests.factories import make_veteran


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


@pytest.mark.browser
def test_clerk_refers_a_seeking_veteran_who_is_hired_and_counted(chromium_page, live_server, output_path):
    street = StreetFactory(name="城关镇")
    grid = GridFactory(community=CommunityFactory(street=street, name="新华社区"), name="新华一网格")
    today = timezone.localdate()
    veteran = make_veteran(grid, name="王求职", birth_date=datetime.date(1991, 4, 5))
    make_profile(veteran, status="seeking", since=today.replace(month=1, day=1), skills="汽车驾驶", wants_job=True)
    make_veteran(grid, name="李在岗", birth_date=datetime.date(1985, 1, 1))
    employer = make_employer(street.district, name="安康兵哥物流有限公司")
    clerk = make_staff(street, role=Role.STATION_STAFF)
    page = chromium_page

    _log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/admin/employment/employmentprofile/?status__exact=seeking")
    page.fill("#searchbar", "王求职")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    page.click("#result_list a:has-text('王求职')")
    page.click("#refer-person")
    page.wait_for_selector("#id_employer")
    assert page.input_value("#id_person") == str(veteran.pk)
    page.select_option("#id_employer", str(employer.pk))
    page.fill("#id_position", "货车司机")
    page.fill("#id_referred_on", today.isoformat())
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    referral = JobReferral.objects.get(person=veteran)

    page.click("#result_list a:has-text('王求职')")
    page.wait_for_selector("#id_result")
    page.select_option("#id_result", "hired")
    page.fill("#id_result_on", today.isoformat())
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    referral.refresh_from_db()
    profile = EmploymentProfile.objects.get(person=veteran)
    assert (referral.result, profile.status, profile.workplace) == ("hired", "employed", employer.name)

    page.goto(f"{live_server.url}/dashboard/")
    section = page.locator("#figures-employment")
    placed = section.locator("tfoot a[href*='placed_in=']")
    assert placed.get_attribute("data-count") == "1"
    os.makedirs(output_path, exist_ok=True)
    section.scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(output_path, "employment-board.png"), full_page=True)
    placed.click()
    page.wait_for_selector("#result_list")
    assert "王求职" in page.inner_text("#result_list")
    assert "李在岗" not in page.inner_text("#result_list")
    page.screenshot(path=os.path.join(output_path, "employment-placed-list.png"), full_page=True)
