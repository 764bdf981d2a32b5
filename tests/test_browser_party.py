"""A pocket party member brought under a branch, in a real headless Chromium: the station opens
the follow-up and assigns the grid worker, the worker records a contact from the person's card on
the phone, the station brings the member under the community's branch and closes; the
dashboard's "still outside" count drops by one."""

import os

import pytest
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from party.models import FollowUp
from party.tests.conftest import make_organisation
from veterans.tests.factories import make_veteran


def _outside_count(page, live_server, community) -> int:
    """The community's board (counted live; a street's is kept for up to a minute)."""
    page.goto(f"{live_server.url}/dashboard/?level=community&id={community.pk}")
    page.wait_for_selector("#figures-party")
    counts = page.eval_on_selector_all(
        "#figures-party a[href*='outside=yes']", "links => links.map(a => Number(a.dataset.count))"
    )
    return max(counts)


def _log_in(page, live_server, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.browser
def test_a_pocket_member_is_brought_under_a_branch(chromium_page, live_server, output_path):
    street = StreetFactory(name="南京路街道")
    community = CommunityFactory(street=street, name="朝阳里社区")
    grid = GridFactory(community=community, name="朝阳里一网格")
    member = make_veteran(grid, name="王口袋", is_party_member=True, party_relation="pocket")
    make_veteran(grid, name="李流动", is_party_member=True, party_relation="mobile")
    branch = make_organisation(community, "朝阳里社区退役军人党支部")
    station = make_staff(street, role=Role.STATION_STAFF)
    worker = make_staff(grids=[grid])
    today = timezone.localdate().isoformat()
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    _log_in(page, live_server, station, "/dashboard/")
    assert _outside_count(page, live_server, community) == 2

    page.goto(f"{live_server.url}/admin/party/followup/add/")
    page.fill("#id_person", str(member.pk))
    page.fill("#id_opened_on", today)
    page.click("input[name=_save]")
    page.wait_for_selector("#followup-status")
    follow_up = FollowUp.objects.get(person=member)
    page.select_option("form[data-step=assign] select", str(worker.pk))
    page.click("form[data-step=assign] button")
    page.wait_for_selector("#followup-assignee")
    assert worker.get_full_name() in page.inner_text("#followup-assignee")

    _log_in(page, live_server, worker, f"/m/v/{member.pk}/")
    page.click("text=党员组织关系跟进：记录联系")
    page.wait_for_selector("#party-contact-form")
    assert page.input_value("#id_on") == today
    page.fill("#id_note", "上门联系，本人同意将组织关系转入社区党支部")
    page.screenshot(path=os.path.join(output_path, "party-1-contact.png"), full_page=True)
    page.click("#party-contact-form button[type=submit]")
    page.wait_for_url(f"**/m/v/{member.pk}/")
    assert follow_up.steps.get().kind == "contact"

    _log_in(page, live_server, station, f"/party/follow-ups/{follow_up.pk}/")
    page.wait_for_selector("#steps")
    assert "同意将组织关系转入" in page.inner_text("#steps")
    page.select_option("form[data-step=bring_in] select", str(branch.pk))
    page.click("form[data-step=bring_in] button")
    page.wait_for_selector("#followup-organisation")
    assert "朝阳里社区退役军人党支部" in page.inner_text("#followup-organisation")
    assert page.inner_text("#followup-status") == "已纳入组织"
    page.screenshot(path=os.path.join(output_path, "party-2-closed.png"), full_page=True)
    member.refresh_from_db()
    assert member.party_relation == "in_place"

    assert _outside_count(page, live_server, community) == 1
    page.screenshot(path=os.path.join(output_path, "party-3-dashboard.png"), full_page=True)
