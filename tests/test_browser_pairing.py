"""One-to-one pairing in a real headless Chromium: the street's station pairs an 80+ veteran with a
cadre who has no account, the grid worker records the pair's visit from the phone card, and the
dashboard's pairing coverage of the key groups rises from 0 to 50 % (one of two 80+ people)."""

import datetime
import os

import pytest
from django.core.cache import cache

from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from pairing.models import Pair, PairContact
from veterans.tests.factories import make_veteran

# Columns of the 一对一结对 table, in the figures' order.
PAIRED, PAIRED_KEY, KEY, COVERAGE, CONTACTS = range(5)


def _log_in(page, live_server, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


def _pairing_totals(page, live_server) -> list[str]:
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#source-pairing")
    return [cell.strip() for cell in page.locator("#source-pairing tfoot td").all_inner_texts()]


@pytest.mark.browser
def test_station_pairs_an_old_veteran_and_the_coverage_rises(chromium_page, live_server, output_path):
    street = StreetFactory(name="城关镇")
    grid = GridFactory(community=CommunityFactory(street=street, name="新华社区"), name="新华第一网格")
    veteran = make_veteran(grid, name="王老兵", birth_date=datetime.date(1938, 8, 1))
    make_veteran(grid, name="李老兵", birth_date=datetime.date(1940, 2, 1))  # 80+, stays unpaired
    make_veteran(grid, name="赵青年", birth_date=datetime.date(1995, 2, 1))  # in no key group
    station = make_staff(street, role=Role.STATION_STAFF)
    worker = make_staff(grids=[grid])
    page = chromium_page

    _log_in(page, live_server, station, "/dashboard/")
    before = _pairing_totals(page, live_server)
    assert (before[PAIRED], before[KEY], before[CONTACTS]) == ("0", "2", "0")
    assert "0.0" in before[COVERAGE]

    page.goto(f"{live_server.url}/admin/pairing/pair/add/")
    page.fill("#id_veteran", str(veteran.pk))
    page.select_option("#id_partner_kind", "cadre")
    page.fill("#id_partner_name", "刘建华")
    page.fill("#id_partner_organisation", "城关镇党委")
    page.fill("#id_contact_phone", "13900001234")
    page.fill("#id_started_on", "2026-03-01")
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "139****1234" in page.inner_text("#result_list")
    pair = Pair.objects.get(veteran=veteran)
    assert (pair.partner_name, pair.partner_user, pair.active) == ("刘建华", None, True)

    _log_in(page, live_server, worker, f"/m/v/{veteran.pk}/")
    page.click("text=结对走访")
    page.wait_for_selector("#pair-contact-form")
    page.select_option("#id_way", "home_visit")
    page.fill("#id_note", "身体尚好，送去慰问品")
    page.click("#submit-pair-contact")
    page.wait_for_load_state()
    contact = PairContact.objects.get(pair=pair)
    assert (contact.recorded_by, contact.note) == (worker, "身体尚好，送去慰问品")

    cache.clear()  # the street's figures are kept for a minute (dashboard.figures.board_for): let it pass
    _log_in(page, live_server, station, "/dashboard/")
    after = _pairing_totals(page, live_server)
    assert (after[PAIRED], after[PAIRED_KEY], after[KEY], after[CONTACTS]) == ("1", "1", "2", "1")
    assert "50.0" in after[COVERAGE]
    os.makedirs(output_path, exist_ok=True)
    page.locator("#figures-pairing").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(output_path, "pairing-coverage.png"), full_page=True)
