"""The quick visit form on a 360 px phone in headless Chromium (issue 18): from the due list to a
saved visit in four taps, a refused save that says what to fix at the top, and the position
recorded only when the worker asks and the phone agrees."""

import datetime
import os
import time

import pytest
from django.utils import timezone

from grids.tests.factories import PASSWORD, GridFactory, make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran
from visits.models import Visit

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PAGE_BUDGET = 50 * 1024  # bytes transferred for any one page
SHELL_BUDGET = 150 * 1024  # everything the three pages of the walk load
# Chrome's "Fast 3G": 1.6 Mbit/s down, 750 kbit/s up, 562.5 ms round trip.
FAST_3G = {"offline": False, "latency": 563, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.fixture
def worker_page(chromium_page, live_server):
    """A worker of a grid with one overdue veteran, logged in on the due list."""
    grid = GridFactory(name="朝阳里第一网格")
    worker = make_staff(grids=[grid])
    veteran = make_veteran(grid, name="张建国", residence_address="朝阳里3号楼2门101")
    Veteran.objects.filter(pk=veteran.pk).update(visit_due_on=timezone.localdate() - datetime.timedelta(days=30))
    page = chromium_page
    page.goto(f"{live_server.url}/accounts/login/?next=/m/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#due-list")
    return page, worker, veteran


class Taps:
    """Counts what the worker taps (typing is not counted)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def __call__(self, selector: str) -> None:
        self.count += 1
        self.page.tap(selector)


def _transfers(page) -> list[tuple[str, str, int]]:
    """(resource type, url, bytes over the wire) of each response the page receives from now on,
    with the browser's cache off: each page as a first visit would load it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    seen = []

    def finished(request):
        sizes = request.sizes()
        seen.append((request.resource_type, request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    page.on("requestfinished", finished)
    return seen


@pytest.mark.browser
def test_a_common_visit_takes_four_taps_from_the_due_list(worker_page, live_server, output_path):
    page, worker, veteran = worker_page
    os.makedirs(output_path, exist_ok=True)
    transfers = _transfers(page)
    page.context.new_cdp_session(page).send("Network.emulateNetworkConditions", FAST_3G)
    page.reload()  # the due list again, measured, over a 3G-like line
    page.wait_for_selector("#due-list")
    tap = Taps(page)
    started = time.monotonic()

    tap("#due-list li a.row-link")
    page.wait_for_selector("#log-visit")
    tap("#log-visit")
    page.wait_for_selector("#visit-form")
    page.screenshot(path=os.path.join(output_path, "visit-form-360.png"), full_page=True)
    tap("#id_findings")
    page.keyboard.type("身体状况良好，需要体检服务")
    tap("#submit-visit")
    page.wait_for_selector("text=已记录走访")

    seconds = time.monotonic() - started
    assert tap.count <= 4
    assert seconds <= 30, seconds  # typing included, as a worker would
    visit = Visit.objects.get(veteran=veteran)
    assert (visit.method, visit.kind, visit.findings, visit.recorded_by) == (
        "home",
        "routine",
        "身体状况良好，需要体检服务",
        worker,
    )
    assert abs(visit.visited_at - timezone.now()) < datetime.timedelta(minutes=5)
    assert visit.latitude is None  # never asked for
    documents = [(url, size) for kind, url, size in transfers if kind == "document"]
    assert len(documents) >= 4  # due list, card, form, card after the save
    assert all(size <= PAGE_BUDGET for _url, size in documents), documents
    shell = {}  # each resource once (the form's URL: its page, not the save's redirect)
    for _kind, url, size in transfers:
        shell[url] = max(shell.get(url, 0), size)
    assert sum(shell.values()) <= SHELL_BUDGET, transfers


@pytest.mark.browser
def test_a_refused_save_shows_what_to_fix_at_the_top(worker_page, live_server, output_path):
    page, _worker, veteran = worker_page
    os.makedirs(output_path, exist_ok=True)
    page.goto(f"{live_server.url}/m/v/{veteran.pk}/visit/")
    assert not page.is_visible("#id_money")  # folded away until asked for
    page.tap("#section-money summary")
    page.fill("#id_money", "-5")
    page.fill("#id_findings", "慰问")
    page.tap("#submit-visit")
    page.wait_for_selector("#error-summary")

    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "慰问金（元）：" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    top = summary.bounding_box()["y"]
    assert -1 <= top < 740 / 2  # brought into view, at the top of the screen
    # The section holding the error is open again, the untouched ones stay folded.
    assert page.get_attribute("#section-money", "open") is not None
    assert page.get_attribute("#section-kind", "open") is None
    assert page.input_value("#id_money") == "-5" and page.input_value("#id_findings") == "慰问"
    page.screenshot(path=os.path.join(output_path, "visit-form-refused.png"), full_page=True)
    page.tap("#error-summary a")
    assert page.evaluate("document.activeElement.id") == "id_money"
    assert not Visit.objects.exists()


@pytest.mark.browser
def test_the_position_is_saved_when_the_worker_asks_and_the_phone_agrees(worker_page, live_server):
    page, _worker, veteran = worker_page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 39.1234567, "longitude": 117.1989, "accuracy": 18.2})
    page.goto(f"{live_server.url}/m/v/{veteran.pk}/visit/")
    page.tap("#locate")
    page.wait_for_selector("#locate-status:has-text('已记录位置')")
    assert "19 米" in page.inner_text("#locate-status")
    page.tap("#submit-visit")
    page.wait_for_selector("text=已记录走访")
    visit = Visit.objects.get(veteran=veteran)
    assert (str(visit.latitude), str(visit.longitude), visit.location_accuracy) == ("39.123457", "117.198900", 19)


@pytest.mark.browser
def test_a_refused_position_says_so_and_the_visit_saves_without_it(worker_page, live_server):
    page, _worker, veteran = worker_page
    page.context.clear_permissions()
    page.goto(f"{live_server.url}/m/v/{veteran.pk}/visit/")
    page.tap("#locate")
    page.wait_for_selector("#locate-status:has-text('走访照常保存')")
    assert "未获允许使用位置" in page.inner_text("#locate-status")
    page.tap("#submit-visit")
    page.wait_for_selector("text=已记录走访")
    visit = Visit.objects.get(veteran=veteran)
    assert (visit.latitude, visit.longitude, visit.location_accuracy) == (None, None, None)
