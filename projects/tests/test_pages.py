"""Desk (admin), phone pages and the ledger: steps through the services, the boundary between
areas, the replayed phone form, the workbench lines."""

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports.tests.helpers import direct_and_background, forged_rows
from projects.models import ProjectStatus, ServiceDelivery, ServiceEvaluation, ServiceNeed, ServiceProject
from projects.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def _step(project, name):
    return reverse("admin:projects_serviceproject_step", args=[project.pk, name])


def test_the_station_proposes_from_the_needs_list(client, people, need, veterans):
    client.force_login(people["station"])
    changelist = reverse("admin:projects_serviceneed_changelist")
    assert client.get(changelist, {"state": "unplanned"}).context["cl"].result_count == 1
    response = client.post(changelist, {"action": "propose_project", "_selected_action": [need.pk]})
    assert response.status_code == 302 and f"needs={need.pk}" in response.url
    form_page = client.get(response.url)
    assert form_page.status_code == 200 and str(need.pk) in str(form_page.context["adminform"].form["needs"].value())
    created = client.post(
        reverse("admin:projects_serviceproject_add"),
        {"title": "上门体检", "needs": [need.pk], "people": "", "proposed_on": timezone.localdate().isoformat()},
    )
    project = ServiceProject.objects.get()
    assert created.status_code == 302 and project.proposer == people["station"]
    assert list(project.people.all()) == [veterans["mine"]]
    need.refresh_from_db()
    assert need.project == project


def test_the_desk_takes_review_delivery_and_rating_steps(client, people, proposed):
    client.force_login(people["station"])
    today = timezone.localdate().isoformat()
    refused = client.post(_step(proposed, "review"), {"decision": "approve", "reviewed_on": today})
    assert "不能审核自己" in refused.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == ProjectStatus.PROPOSED
    client.force_login(people["station2"])
    client.post(_step(proposed, "review"), {"decision": "approve", "reviewed_on": today})
    proposed.refresh_from_db()
    assert proposed.status == ProjectStatus.APPROVED and proposed.reviewer == people["station2"]
    negative = client.post(_step(proposed, "deliver"), {"delivered_on": today, "delivered_by": "卫生院", "cost": "-5"})
    assert negative.status_code == 200 and not ServiceDelivery.objects.exists()
    client.post(_step(proposed, "deliver"), {"delivered_on": today, "delivered_by": "卫生院", "cost": "120.50"})
    proposed.refresh_from_db()
    assert proposed.status == ProjectStatus.DELIVERED and str(proposed.cost) == "120.50"
    page = client.get(reverse("admin:projects_serviceproject_change", args=[proposed.pk])).content.decode()
    assert _step(proposed, "evaluate") in page and "未评价" in page and "¥120.50" in page
    first = proposed.deliveries.first()
    client.post(_step(proposed, "evaluate"), {"delivery": first.pk, "satisfaction": "4", "evaluated_on": today})
    assert ServiceEvaluation.objects.get().satisfaction == 4


def test_a_step_page_of_another_street_is_not_found(client, people, proposed):
    client.force_login(people["other_station"])
    assert client.get(_step(proposed, "review")).status_code == 404
    assert client.get(reverse("admin:projects_serviceproject_change", args=[proposed.pk])).status_code == 302


def test_the_ledger_holds_only_the_users_area(client, people, delivered, veterans):
    from projects.services import project_propose

    project_propose(title="法律咨询", people=[veterans["theirs"]], proposed_on=DAY, acting_user=people["other_station"])
    client.force_login(people["station"])
    changelist = reverse("admin:projects_serviceproject_changelist")
    everything = ServiceProject.objects.values_list("pk", flat=True)
    response = client.post(changelist, {"action": "export_ledger", "_selected_action": list(everything)})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "导出信息" in book.sheetnames
    rows = [row for row in book.worksheets[0].iter_rows(values_only=True) if row and isinstance(row[1], int)]
    assert len(rows) == 1 and "上门体检" in rows[0]
    assert rows[0][16] == 360 and set(rows[0][6].split("、")) == {"王德顺", "陈永福"}  # after 序号: cost, people


def test_the_workbench_counts_the_three_waiting_lines(client, people, need, proposed):
    client.force_login(people["station2"])
    todos = {
        todo.label: todo for block in client.get(reverse("admin:index")).context["todo_blocks"] for todo in block.todos
    }
    assert todos["待审核的服务项目"].count == 1 and todos["未立项的服务需求"].count == 0
    listed = client.get(todos["待审核的服务项目"].url)
    assert listed.context["cl"].result_count == 1


def test_a_grid_worker_records_a_need_from_the_card_once_however_often_sent(client, people, veterans, item):
    client.force_login(people["worker"])
    card = client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()
    url = reverse("projects_mobile:need", args=[veterans["mine"].pk])
    assert url in card and "服务需求" in card
    form = {
        "item": item.pk,
        "description": "腿脚不便，希望上门理发",
        "source": "visit",
        "recorded_on": timezone.localdate().isoformat(),
        "client_id": str(uuid.uuid4()),
    }
    first = client.post(url, form, HTTP_X_QUEUE="1")
    again = client.post(url, form, HTTP_X_QUEUE="1")
    assert first.json()["status"] == "stored" and again.json()["replayed"] is True
    need = ServiceNeed.objects.get()
    assert need.person == veterans["mine"] and need.recorded_by == people["worker"]


def test_a_grid_worker_cannot_open_the_forms_for_someone_elsewhere(client, people, veterans):
    client.force_login(people["worker"])
    for name in ("projects_mobile:need", "projects_mobile:rate"):
        response = client.get(reverse(name, args=[veterans["theirs"].pk]))
        assert response.status_code == 404 and "李长青" not in response.content.decode()


def test_a_future_date_on_the_phone_is_refused_with_the_field(client, people, veterans):
    client.force_login(people["worker"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("projects_mobile:need", args=[veterans["mine"].pk]),
        {"description": "x", "source": "visit", "recorded_on": tomorrow},
    )
    assert "登记日期不能晚于今天" in response.content.decode() and not ServiceNeed.objects.exists()


def test_the_served_person_rates_on_the_phone(client, people, veterans, delivered):
    client.force_login(people["worker"])
    url = reverse("projects_mobile:rate", args=[veterans["mine"].pk])
    card = client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()
    assert "服务评价：上门体检" in card and url in card
    page = client.get(url)
    delivery = ServiceDelivery.objects.get(person=veterans["mine"])
    assert "上门体检" in page.content.decode()
    response = client.post(
        url, {"delivery": delivery.pk, "satisfaction": "5", "comment": "服务周到", "evaluated_on": DAY.isoformat()}
    )
    assert "评价日期不能早于交付日期" in response.content.decode()
    client.post(
        url,
        {"delivery": delivery.pk, "satisfaction": "5", "comment": "服务周到", "evaluated_on": timezone.localdate()},
    )
    assert ServiceEvaluation.objects.get().comment == "服务周到"
    assert "暂无待评价" in client.get(url).content.decode()
    assert "服务评价：上门体检" not in client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()


def test_a_big_ledger_is_built_in_the_background_as_the_file_would_be(
    client, people, delivered, veterans, settings, django_capture_on_commit_callbacks
):
    from projects.services import evaluation_record, project_propose

    delivery = delivered.deliveries.first()
    evaluated_on = delivered.delivered_on
    evaluation_record(delivery=delivery, satisfaction=4, evaluated_on=evaluated_on, acting_user=people["station"])
    project_propose(title="义诊", people=[veterans["mine"]], proposed_on=DAY, acting_user=people["station"])
    project_propose(title="法律咨询", people=[veterans["theirs"]], proposed_on=DAY, acting_user=people["other_station"])
    client.force_login(people["station"])
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:projects_serviceproject_changelist"), select_all),
    )
    assert background == direct and job.ledger == "projects"
    by_title = {row[2]: row for row in background[1:]}
    assert set(by_title) == {"上门体检", "义诊"}
    assert by_title["上门体检"][17] == 1  # one rating, however many people the project serves
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="projects",
        queryset=ServiceProject.objects.all(),
        user=people["station"],
    )
    assert {row[2] for row in forged[1:]} == {"上门体检", "义诊"}  # not the other street's


def test_the_ledger_reads_a_fixed_number_of_queries(people, delivered, veterans, django_assert_num_queries):
    from exports.registry import Requester, ledger_named
    from projects.services import project_propose

    for title in ("义诊", "理发", "法律咨询"):
        project_propose(title=title, people=[veterans["mine"]], proposed_on=DAY, acting_user=people["station"])
    with django_assert_num_queries(2):  # the projects with their figures, then their people
        rows = list(ledger_named("projects").rows(ServiceProject.objects.all(), Requester(people["station"])))
    assert len(rows) == 4
