"""A grid worker on a phone (360 px) in real headless Chromium: log in, see the due list,
open the first veteran, log a visit, and see them leave the overdue list."""

import datetime
import os

import pytest
from django.utils import timezone

from grids.tests.factories import PASSWORD, GridFactory, make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.mark.browser
def test_worker_logs_a_visit_from_the_due_list(chromium_page, live_server, output_path):
    grid = GridFactory(name="朝阳里第一网格")
    worker = make_staff(grids=[grid])
    first = make_veteran(grid, name="张建国", residence_address="朝阳里3号楼2门101")
    make_veteran(grid, name="李秀英")
    Veteran.objects.filter(pk=first.pk).update(visit_due_on=timezone.localdate() - datetime.timedelta(days=30))
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    page.goto(f"{live_server.url}/accounts/login/?next=/m/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#due-list")
    assert page.inner_text("#overdue-count") == "1"
    first_row = page.locator("#due-list li").first
    assert "张建国" in first_row.inner_text() and "逾期" in first_row.inner_text()
    page.screenshot(path=os.path.join(output_path, "1-due-list.png"), full_page=True)

    first_row.locator("a").click()
    page.wait_for_selector("#log-visit")
    page.screenshot(path=os.path.join(output_path, "2-card.png"), full_page=True)
    page.click("#log-visit")
    page.wait_for_selector("#visit-form")
    page.select_option("#id_method", "home")
    page.fill("#id_findings", "身体状况良好，反映需要体检服务")
    page.click("#section-money summary")  # money and goods are folded away until asked for
    page.fill("#id_money", "500")
    page.screenshot(path=os.path.join(output_path, "3-visit-form.png"), full_page=True)
    page.click("#submit-visit")
    page.wait_for_selector("text=已记录走访")

    page.goto(f"{live_server.url}/m/")
    assert page.inner_text("#overdue-count") == "0"
    assert "逾期" not in page.locator("#due-list li", has_text="张建国").inner_text()
    page.screenshot(path=os.path.join(output_path, "4-after-visit.png"), full_page=True)
    # The page fits a 360 px phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first.refresh_from_db()
    assert first.visits.count() == 1 and first.visit_due_on > timezone.localdate()


@pytest.mark.browser
def test_worker_takes_an_appeal_from_the_card_and_finds_it_under_the_appeals_tab(
    chromium_page, live_server, output_path
):
    from appeals.models import Appeal, AppealCategory

    grid = GridFactory(name="朝阳里第二网格")
    worker = make_staff(grids=[grid])
    veteran = make_veteran(grid, name="王德顺")
    category = AppealCategory.objects.get_or_create(name="政策咨询", defaults={"kind": "question", "deadline_days": 5})[
        0
    ]
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page
    page.goto(f"{live_server.url}/accounts/login/?next=/m/v/{veteran.pk}/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=登记诉求")
    page.wait_for_selector("#appeal-form")
    # The date picker shows today already (an ISO value, whatever the page language).
    assert page.input_value("#id_received_on") == timezone.localdate().isoformat()
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_channel", "visit")
    page.fill("#id_subject", "孙子入学优待")
    page.fill("#id_content", "咨询军人子女入学优待政策")
    page.screenshot(path=os.path.join(output_path, "5-appeal-form.png"), full_page=True)
    page.click("#appeal-form button[type=submit]")
    page.wait_for_selector("text=诉求已受理")
    assert page.inner_text("#appeal-status") == "已受理"
    page.click("nav.tabs >> text=诉求")
    page.wait_for_selector("#appeal-list")
    assert "孙子入学优待" in page.inner_text("#appeal-list")
    page.screenshot(path=os.path.join(output_path, "6-appeals.png"), full_page=True)
    # Seven tabs scroll inside their bar; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Appeal.objects.get().opened_by == worker
