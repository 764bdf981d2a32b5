"""Every number on the board is a link to the list of exactly the rows it counts: fetched as the
same user, the list shows as many rows as the number says."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance.models import CaseStatus
from dashboard.links import figure_url
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff


class _CountedLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "data-count" in attributes:
            self.links.append((attributes["href"], int(attributes["data-count"])))


def counted_links(page: str) -> list[tuple[str, int]]:
    parser = _CountedLinks()
    parser.feed(page)
    return parser.links


def _board(client, user, area):
    client.force_login(user)
    response = client.get(reverse("dashboard:board"), {"level": area.level, "id": area.pk})
    assert response.status_code == 200
    return counted_links(response.content.decode())


def _listed(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href  # an unknown filter would redirect to ?e=1
    return response.context["cl"].result_count


@pytest.mark.parametrize(
    ("viewer", "where"),
    [
        ("city_leader", "city"), ("leader", "district"), ("station", "street_a"), ("station_b", "street_b"),
        ("leader", "grid_a11"),
    ],
)  # fmt: skip
def test_every_number_links_to_a_list_of_exactly_that_many_rows(client, tree, city, cast, busy, viewer, where):
    if viewer == "city_leader":
        from grids.models import AreaLevel, the_city
        from grids.services import staff_account_create

        cast["city_leader"] = staff_account_create(
            username="city_leader",
            password="x-Long-enough-9",
            full_name="市局领导",
            role=Role.BUREAU_LEADER,
            scope_level=AreaLevel.CITY,
            acting_user=SYSTEM,
        ).user
        tree = {**tree, "city": the_city()}
    links = _board(client, cast[viewer], tree[where])
    mismatched = [(href, shown, _listed(client, href)) for href, shown in links]
    mismatched = [row for row in mismatched if row[1] != row[2]]
    assert mismatched == []
    lists = {urlsplit(href).path for href, _n in links}
    assert lists == {
        "/admin/veterans/veteran/",
        "/admin/visits/visit/",
        "/admin/assistance/hardshipcase/",
        "/admin/appeals/appeal/",
        "/admin/wishes/microwish/",
        "/admin/referrals/referral/",
        "/admin/honours/meritnotice/",
        "/admin/honours/nomination/",
        "/admin/training/enrolment/",
        "/admin/employment/employmentprofile/",
        "/admin/party/partymember/",
        "/admin/party/followup/",
        "/admin/party/attendance/",
        "/admin/projects/servedperson/",
        "/admin/projects/serviceneed/",
        "/admin/projects/servicedelivery/",
        "/admin/projects/serviceevaluation/",
        "/admin/pairing/coverageperson/",
        "/admin/pairing/paircontact/",
        "/admin/pairing/pairgift/",
    }
    assert sum(1 for _href, shown in links if shown) >= 10  # the fixture gives most figures rows


def test_the_district_links_show_the_hand_counted_rows(client, tree, city, cast, busy):
    """The figures the audit named, by name: the link of each, and the rows behind it."""
    district, today = tree["district"], timezone.localdate()
    links = dict(_board(client, cast["leader"], district))
    expected = {
        "veterans": 5,
        "overdue": 2,
        "cases_open": 2,
        "cases_overdue": 1,
        "appeals_open": 2,
        "appeals_overdue": 1,
        "wishes": 2,
        "wishes_fulfilled": 1,
        "visits_week": 3,
        "visits_month": 3,
        "paid_cases": 2,
        "hardship": 2,
        "major_contribution": 2,
        "merit_awards": 2,
        "type:discharged_soldier": 4,
        "priority:korean_war": 1,
    }
    for name, rows in expected.items():
        url = figure_url(name, district, today)
        assert (name, links.get(url)) == (name, rows)
        assert (name, _listed(client, url)) == (name, rows)
    # The deceased veteran is in the district's list only when the same life-status filter is dropped.
    everyone = client.get(reverse("admin:veterans_veteran_changelist"), {"district": district.pk})
    assert everyone.context["cl"].result_count == 6


def test_open_cases_link_leaves_out_drafts_and_paid_cases(client, tree, city, cast, busy):

    client.force_login(cast["leader"])
    response = client.get(figure_url("cases_open", tree["district"], timezone.localdate()))
    shown = {case.status for case in response.context["cl"].queryset}
    assert shown == {CaseStatus.SUBMITTED}
    all_cases = client.get(reverse("admin:assistance_hardshipcase_changelist"), {"district": tree["district"].pk})
    assert all_cases.context["cl"].result_count == 5  # two paid, two open, one draft


def test_a_wish_link_shows_only_that_area(client, tree, city, cast, busy):

    client.force_login(cast["leader"])
    today = timezone.localdate()
    street_a = client.get(figure_url("wishes", tree["street_a"], today)).context["cl"]
    street_b = client.get(figure_url("wishes", tree["street_b"], today)).context["cl"]
    assert (street_a.result_count, street_b.result_count) == (2, 0)


def test_fund_and_campaign_rows_link_to_their_ledgers(client, tree, city, cast, busy):
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    page = client.get(reverse("dashboard:board")).content.decode()
    fund = busy["fund"]
    assert f"/admin/assistance/fundentry/?fund__id__exact={fund.pk}&amp;kind__in=payment%2Creversal" in page
    payments = client.get(
        reverse("admin:assistance_fundentry_changelist"), {"fund__id__exact": fund.pk, "kind__in": "payment,reversal"}
    )
    assert payments.status_code == 200 and payments.context["cl"].result_count == 2


class _LinkTexts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[list[str]] = []  # [href, text] of each link, text as read
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href", ""), ""]
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def test_a_link_to_the_incomplete_files_says_so(client, tree, city, cast, busy):
    """The average completeness is no list of rows: the link beside it opens the incomplete files
    and reads as such, not as the average."""
    client.force_login(cast["leader"])
    page = client.get(reverse("dashboard:board"), {"level": "district", "id": tree["district"].pk})
    parser = _LinkTexts()
    parser.feed(page.content.decode())
    incomplete = [text.strip() for href, text in parser.links if "completeness=incomplete" in href]
    assert incomplete  # a link per street row
    assert all("不完整" in text and not text.endswith("%") for text in incomplete), incomplete
