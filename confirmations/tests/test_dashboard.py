import datetime

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from confirmations.services import confirmation_confirm, confirmation_round_open
from grids.scoping import SYSTEM


def _this_year_round(tree, veterans):
    today = timezone.localdate()
    return confirmation_round_open(
        district=tree["district"], year=today.year, deadline=datetime.date(today.year, 12, 31), acting_user=SYSTEM
    )


def test_the_board_shows_this_years_confirmations_per_street(tree, people, veterans, settings):
    settings.OTP_REQUIRED = False
    _this_year_round(tree, veterans)
    confirmation_confirm(veteran=veterans["mine"], method="in_person", acting_user=people["station"])
    client = Client()
    client.force_login(people["leader"])
    page = client.get("/dashboard/")
    assert page.status_code == 200
    section = page.content.decode().split('id="confirmations"')[1].split("</table>")[0]
    assert "甲街道" in section and "乙街道" in section
    assert page.context["confirmations"]["total"] == {"confirmed": 1, "pending": 2, "overdue": 0, "suspended": 0}


def test_the_statistics_api_carries_the_confirmation_figures(tree, people, veterans):
    _this_year_round(tree, veterans)
    api = APIClient()
    api.force_authenticate(people["station"])
    body = api.get("/api/statistics/").json()
    # The station of street a: its communities only; a1 holds both of its recipients.
    assert [(row["level"], row["name"], row["pending"]) for row in body["confirmations"]] == [
        ("community", tree["community_a1"].name, 2)
    ]


def test_no_round_no_section(tree, people, veterans, settings):
    settings.OTP_REQUIRED = False
    client = Client()
    client.force_login(people["leader"])
    page = client.get("/dashboard/")
    assert page.status_code == 200 and 'id="confirmations"' not in page.content.decode()
