"""Skills training in a real headless Chromium: a street station's clerk creates a course, enrols
a job-seeking veteran, records a day's attendance and his certificate, and the dashboard's
技能培训 section counts him as trained and certified this year."""

import datetime
import os

import pytest
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from training.models import Course, Enrolment, EnrolmentStatus
from training.services import provider_save
from veterans.tests.factories import make_veteran


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


@pytest.mark.browser
def test_a_clerk_trains_a_job_seeker_and_the_board_counts_him(chromium_page, live_server, output_path):
    street = StreetFactory(name="南市街道")
    grid = GridFactory(community=CommunityFactory(street=street, name="朝阳里社区"), name="朝阳里一网格")
    veteran = make_veteran(grid, name="刘振军", employment="job_seeking")
    center = make_staff(street.district, role=Role.STATION_STAFF)
    provider = provider_save(name="区职业技术学校", kind="school", district=street.district, acting_user=center)
    clerk = make_staff(street, role=Role.STATION_STAFF)
    today = timezone.localdate()
    started = today - datetime.timedelta(days=min(2, today.timetuple().tm_yday - 1))
    page = chromium_page

    _log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/admin/training/course/add/")
    page.select_option("#id_provider", str(provider.pk))
    page.fill("#id_title", "电工技能培训")
    page.fill("#id_trade", "电工")
    page.select_option("#id_street", str(street.pk))
    page.fill("#id_starts_on", started.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=10)).isoformat())
    page.fill("#id_enrol_deadline", (today + datetime.timedelta(days=3)).isoformat())
    page.fill("#id_places", "20")
    page.fill("#id_certificate_name", "电工职业资格证书（五级）")
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "0/20" in page.inner_text("#result_list")
    course = Course.objects.get(title="电工技能培训")

    page.click("#result_list a:text-is('报名')")
    page.wait_for_selector("#id_veteran")
    assert page.input_value("#id_course") == str(course.pk)
    page.fill("#id_veteran", str(veteran.pk))
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "刘振军" in page.inner_text("#result_list")
    enrolment = Enrolment.objects.get(veteran=veteran)

    page.goto(f"{live_server.url}/admin/training/enrolment/{enrolment.pk}/change/")
    page.fill("#id_attendance-0-day", started.isoformat())
    page.select_option("#id_status", EnrolmentStatus.COMPLETED)
    page.fill("#id_completed_on", today.isoformat())
    page.fill("#id_certificate_number", "DG-2026-0001")
    page.fill("#id_certificate_on", today.isoformat())
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    listed = page.inner_text("#result_list")
    assert "DG-2026-0001" in listed and "100.0%" in listed
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.attendance.count() == 1

    page.goto(f"{live_server.url}/dashboard/")
    section = page.locator("#figures-training")
    section.wait_for()
    trained = section.locator("tfoot a[href*='trained_year']")
    certified = section.locator("tfoot a[href*='certified_year']")
    assert trained.get_attribute("data-count") == "1" and certified.get_attribute("data-count") == "1"
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, "training-board.png"), full_page=True)
    trained.click()
    page.wait_for_selector("#result_list")
    assert "刘振军" in page.inner_text("#result_list")
