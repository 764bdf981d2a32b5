"""A grid worker's phone (360 px, headless Chromium) opens a person's archive card as a PDF from
the phone card: a plain link, answered inline with application/pdf."""

import os

import pytest

from grids.tests.factories import PASSWORD, GridFactory, make_staff
from printing.tests.pdf_tools import pdf_text
from veterans.tests.factories import make_veteran

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.mark.browser
def test_the_phone_card_links_the_archive_pdf(chromium_page, live_server, output_path):
    grid = GridFactory(name="朝阳里第一网格")
    worker = make_staff(grids=[grid])
    person = make_veteran(grid, name="张建国", residence_address="朝阳里3号楼2门101")
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    page.goto(f"{live_server.url}/accounts/login/?next=/m/v/{person.pk}/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#log-visit")
    link = page.locator("a", has_text="打印档案")
    assert link.count() == 1 and link.is_visible()
    href = link.get_attribute("href")
    assert href == f"/print/archive/{person.pk}.pdf"
    page.screenshot(path=os.path.join(output_path, "phone-card-with-print-link.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    response = page.request.get(f"{live_server.url}{href}")  # the phone's own session
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    body = response.body()
    assert body.startswith(b"%PDF-")
    text = pdf_text(body)
    assert "张建国" in text and "一人一档 档案表" in text
