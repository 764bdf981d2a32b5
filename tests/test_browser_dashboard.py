"""A bureau leader in real headless Chromium: log in, open the dashboard, see the charts drawn
(canvas, not blank), drill down street → community → grid, click a number, land on its list."""

import datetime
import os

import pytest
from django.utils import timezone

from dashboard.snapshots import snapshot_take
from grids.models import Role
from grids.tests.factories import PASSWORD, make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **DESKTOP}


def _canvas_has_ink(page, selector: str) -> bool:
    """True when the chart's canvas has any non-transparent pixel."""
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector + ' canvas');
            if (!canvas || canvas.width === 0) return false;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
            return false;
        }""",
        selector,
    )


def _count_ticks(page, selector: str) -> list[float]:
    """The tick values of the count axis (the value axis) of the chart in `selector`."""
    return page.evaluate(
        """(selector) => {
            const chart = echarts.getInstanceByDom(document.querySelector(selector));
            const model = chart.getModel();
            const values = [];
            ["xAxis", "yAxis"].forEach((kind) => {
                const axis = model.getComponent(kind, 0).axis;
                if (axis.type === "value") axis.scale.getTicks().forEach((t) => values.push(t.value));
            });
            return values;
        }""",
        selector,
    )


@pytest.mark.browser
def test_leader_reads_the_dashboard_and_drills_down_to_a_grid(chromium_page, live_server, output_path, tree):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    late = timezone.localdate() - datetime.timedelta(days=5)
    overdue = make_veteran(tree["grid_a11"], name="逾期老兵", categories=[("korean_war", None)])
    make_veteran(tree["grid_a11"], name="按期老兵", is_party_member=True, party_relation="pocket")
    make_veteran(tree["grid_b11"], name="乙街道老兵")
    Veteran.objects.filter(pk=overdue.pk).update(visit_due_on=late)
    snapshot_take(day=timezone.localdate())
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    page.goto(f"{live_server.url}/accounts/login/?next=/dashboard/")
    page.fill("#id_username", leader.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#kpis")
    page.wait_for_selector("#chart-types canvas")
    for chart in ("#chart-types", "#chart-priority", "#chart-children", "#chart-trend", "#chart-cases-trend"):
        assert _canvas_has_ink(page, chart), f"{chart} drew nothing"
    assert page.inner_text("#kpi-overdue") == "1"
    page.screenshot(path=os.path.join(output_path, "1-district.png"), full_page=True)

    page.click("#child-areas a.drill:text('甲街道')")
    page.wait_for_selector("#child-areas a.drill:text('a1社区')")
    page.screenshot(path=os.path.join(output_path, "2-street.png"), full_page=True)
    page.click("#child-areas a.drill:text('a1社区')")
    page.wait_for_selector("#child-areas a.drill:text('a1-1网格')")
    page.click("#child-areas a.drill:text('a1-1网格')")
    page.wait_for_selector("#child-areas")
    assert "a1-1网格" in page.inner_text(".trail")
    page.screenshot(path=os.path.join(output_path, "3-grid.png"), full_page=True)
    # One person in a category: the axis counts people, in whole steps (not 0.2, 0.4 ...).
    for chart in ("#chart-priority", "#chart-trend"):
        ticks = _count_ticks(page, chart)
        assert ticks and all(float(tick).is_integer() for tick in ticks), (chart, ticks)

    page.click("#child-areas a.overdue-link")
    page.wait_for_selector("#result_list")
    listing = page.inner_text("#result_list")
    assert "逾期老兵" in listing and "按期老兵" not in listing and "乙街道老兵" not in listing
    page.screenshot(path=os.path.join(output_path, "4-overdue-list.png"), full_page=True)


def _lines_of_text(page, selector: str) -> dict[str, int]:
    """How many line boxes the text of each element matching `selector` takes."""
    return page.evaluate(
        """(selector) => Object.fromEntries([...document.querySelectorAll(selector)].map((el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            return [el.textContent.trim(), tops.size];
        }))""",
        selector,
    )


@pytest.mark.browser
def test_the_dashboard_menu_reads_in_words_on_a_360_px_phone(chromium_page, live_server, output_path, tree):
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    leader.is_staff = True  # the menu at its longest: every entry, 管理后台 included
    leader.save(update_fields=["is_staff"])
    make_veteran(tree["grid_a11"], name="一位老兵")
    snapshot_take(day=timezone.localdate())
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/accounts/login/?next=/dashboard/")
    page.fill("#id_username", leader.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#kpis")
    page.screenshot(path=os.path.join(output_path, "dashboard-360.png"), full_page=True)

    lines = _lines_of_text(page, "#staff-bar a, #staff-bar button")
    assert len(lines) >= 6 and "数据看板" in lines and "退出" in lines
    assert all(count == 1 for count in lines.values()), lines  # each entry on one line, none in columns
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
