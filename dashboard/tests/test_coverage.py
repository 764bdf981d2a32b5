"""Pinghu's five coverages (五个全覆盖) on the board, hand-counted: of the street's four living
people, filing, visits, glory plaques, pairing and services each reach the share written beside
them, and each rate links to the list of the people it counts."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dashboard.coverage import COVERAGE
from dashboard.figures import area_board
from dashboard.tests.test_links import counted_links
from grids.models import Role
from grids.tests.factories import make_staff
from pairing.services import pair_start
from projects.services import need_record, project_deliver, project_propose, project_review
from veterans.models import Veteran
from veterans.tests.factories import make_veteran


def test_the_five_coverages_are_shares_of_the_living_people(client, tree):
    today = timezone.localdate()
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    worker = make_staff(grids=[tree["grid_a11"]])
    people = [make_veteran(tree["grid_a11"], birth_date=datetime.date(1950, 1, 1)) for _ in range(4)]
    make_veteran(tree["grid_a12"], life_status="deceased", life_status_date=today)  # not counted anywhere
    Veteran.objects.filter(pk__in=[people[0].pk, people[1].pk]).update(glory_plaque_hung_on=today)  # plaques: 2 of 4
    Veteran.objects.filter(pk=people[0].pk).update(visit_due_on=today + datetime.timedelta(days=30))  # covered: 1
    Veteran.objects.exclude(pk=people[0].pk).update(visit_due_on=today - datetime.timedelta(days=1))
    pair_start(veteran=people[1], partner_kind="cadre", partner_name="结对干部", started_on=today, acting_user=station)
    need = need_record(person=people[2], description="助餐", source="visit", recorded_on=today, acting_user=worker)
    project = project_propose(title="助餐服务", needs=[need], proposed_on=today, acting_user=station)
    project_review(project=project, approve=True, reviewed_on=today, acting_user=leader)
    project_deliver(project=project, delivered_on=today, delivered_by="社工", cost="20", acting_user=station)

    total = area_board(user=station, area=tree["street_a"]).total
    rates = {figure.name: total.rate(figure) for figure in COVERAGE.figures}
    assert total.veterans == 4
    assert str(rates["coverage_visits"]) == "25.0"
    assert str(rates["coverage_plaques"]) == "50.0"
    assert str(rates["coverage_pairing"]) == "25.0"
    assert str(rates["coverage_services"]) == "25.0"
    assert rates["coverage_filing"] == total.filing_rate

    client.force_login(station)
    page = client.get(reverse("dashboard:board")).content.decode()
    assert 'id="figures-coverage"' in page and "五个全覆盖" in page
    section = page[page.index('id="figures-coverage"') : page.index("</section>", page.index('id="figures-coverage"'))]
    linked = counted_links(section)
    assert linked  # every rate links to the people it counts
    for href, shown in linked:
        assert client.get(href).context["cl"].result_count == shown, href
