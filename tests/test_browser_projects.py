"""A service project (1555) end to end in real headless Chromium: a grid worker records a need on
the phone; the station proposes a project for it; the bureau approves; the station records the
delivery; the worker records the served person's rating on the phone; the leader's dashboard
counts the person served, the timely delivery and the satisfied rating."""

import os

import pytest
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from projects.models import ProjectStatus, ServiceCategory, ServiceItem, ServiceNeed, ServiceProject
from veterans.tests.factories import make_veteran


def _login(page, server, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.browser
def test_a_need_becomes_a_delivered_rated_project_counted_on_the_dashboard(chromium_page, live_server, output_path):
    street = StreetFactory(name="当湖街道")
    grid = GridFactory(community=CommunityFactory(street=street, name="南河社区"), name="南河第一网格")
    worker = make_staff(grids=[grid])
    station = make_staff(street, role=Role.STATION_STAFF)
    leader = make_staff(street.district, role=Role.BUREAU_LEADER)
    veteran = make_veteran(grid, name="沈国强")
    ServiceItem.objects.create(name="高龄老兵上门理发", level="village", category=ServiceCategory.DAILY_LIFE)
    today = timezone.localdate().isoformat()
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    # 1. The grid worker, on the person's card, records the need found on the visit.
    _login(page, live_server, worker, f"/m/v/{veteran.pk}/")
    page.click("a:has-text('服务需求')")
    page.wait_for_selector("#need-form")
    page.select_option("#id_item", label="高龄老兵上门理发（村社级）")
    page.fill("#id_description", "腿脚不便，希望每月上门理发")
    page.screenshot(path=os.path.join(output_path, "projects-1-need.png"), full_page=True)
    page.click("#need-form button[type=submit]")
    page.wait_for_selector("text=已登记服务需求")
    need = ServiceNeed.objects.get()

    # 2. The station proposes a project for the need, from the needs list.
    _login(page, live_server, station, "/admin/projects/serviceneed/?state=unplanned")
    page.check(f"input[name=_selected_action][value='{need.pk}']")
    page.select_option("select[name=action]", "propose_project")
    page.click("button[name=index]")
    page.fill("#id_title", "南河社区上门理发")
    page.fill("#id_proposed_on", today)
    page.click("input[name=_save]")
    page.wait_for_selector("text=待审核")
    project = ServiceProject.objects.get()
    assert list(project.people.all()) == [veteran]

    # 3. The bureau approves it.
    _login(page, live_server, leader, f"/admin/projects/serviceproject/{project.pk}/step/review/")
    page.check("input[name=decision][value=approve]")
    page.fill("#id_reviewed_on", today)
    page.click("#step-form input[type=submit]")
    page.wait_for_selector("text=已记录")

    # 4. The station records the delivery (who, when, what it cost).
    _login(page, live_server, station, f"/admin/projects/serviceproject/{project.pk}/step/deliver/")
    page.fill("#id_delivered_on", today)
    page.fill("#id_delivered_by", "社区志愿服务队")
    page.fill("#id_cost", "0")
    page.click("#step-form input[type=submit]")
    page.wait_for_selector("text=已记录")
    page.screenshot(path=os.path.join(output_path, "projects-2-delivered.png"), full_page=True)

    # 5. The worker records the served person's rating on the phone.
    _login(page, live_server, worker, f"/m/v/{veteran.pk}/")
    page.click("a:has-text('服务评价')")
    page.wait_for_selector("#rating-form")
    page.check("input[name=satisfaction][value='5']")
    page.fill("#id_comment", "理发师很耐心")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("text=已记录服务评价")
    project.refresh_from_db()
    assert project.status == ProjectStatus.EVALUATED

    # 6. The leader's dashboard counts it.
    _login(page, live_server, leader, "/dashboard/")
    section = page.locator("#figures-projects tfoot")
    section.wait_for()
    counts = {
        link.get_attribute("href").split("?")[0].rstrip("/").rsplit("/", 1)[-1]: link.get_attribute("data-count")
        for link in section.locator("a[data-count]").all()
    }
    assert counts["servedperson"] == "1" and counts["serviceevaluation"] == "1"
    assert "100" in section.inner_text()  # timely and satisfied: both rates in full
    page.locator("#figures-projects").screenshot(path=os.path.join(output_path, "projects-3-dashboard.png"))
