import datetime
import uuid
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.models import MustVisitEvent, Visit
from visits.services import visit_record


def test_home_lists_own_grid_sorted_by_due_with_counts(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    late = make_veteran(tree["grid_a11"], name="逾期者")
    fresh = make_veteran(tree["grid_a11"], name="刚访过")
    make_veteran(tree["grid_a12"], name="别的网格")
    visit_record(veteran=fresh, acting_user=worker, method="home")
    type(late).objects.filter(pk=late.pk).update(visit_due_on=timezone.localdate() - datetime.timedelta(days=9))
    client.force_login(worker)
    response = client.get(reverse("mobile:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "别的网格" not in body
    assert body.index("逾期者") < body.index("刚访过")
    assert response.context["counts"]["overdue"] == 1


def test_must_visit_events_come_first(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    overdue = make_veteran(tree["grid_a11"], name="很久没访")
    type(overdue).objects.filter(pk=overdue.pk).update(visit_due_on=datetime.date(2020, 1, 1))
    patient = make_veteran(tree["grid_a11"], name="住院者")
    visit_record(veteran=patient, acting_user=worker, method="home")
    client.force_login(worker)
    client.post(reverse("mobile:event", args=[patient.pk]), {"kind": "hospital", "occurred_on": timezone.localdate()})
    assert MustVisitEvent.objects.filter(veteran=patient).exists()
    names = [v.name for v in client.get(reverse("mobile:home")).context["page"]]
    assert names[0] == "住院者"


def test_search_by_name_pinyin_and_address(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    make_veteran(tree["grid_a11"], name="王建国", residence_address="朝阳里3号楼")
    make_veteran(tree["grid_a11"], name="李红", residence_address="新华路8号")
    client.force_login(worker)
    for term in ("王建国", "wjg", "朝阳里"):
        names = [v.name for v in client.get(reverse("mobile:home"), {"q": term}).context["page"]]
        assert names == ["王建国"], term


def test_card_of_another_grid_is_404(client, tree):
    other = make_veteran(tree["grid_a12"])
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(reverse("mobile:card", args=[other.pk])).status_code == 404
    assert client.get(reverse("mobile:visit", args=[other.pk])).status_code == 404


def test_worker_cannot_log_visit_for_other_grid_via_form(client, tree):
    other = make_veteran(tree["grid_a12"])
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(reverse("mobile:visit", args=[other.pk]), visit_post())
    assert response.status_code == 404
    assert not Visit.objects.exists()


def visit_post(**overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "home",
        "kind": "routine",
        "event_kind": "",
        "campaign": "",
        "findings": "身体尚可",
        "needs": "",
        "money": "500.00",
        "goods": "米面油",
        "goods_value": "120.50",
        "follow_up_by": "",
    }
    data.update(overrides)
    return data


def test_visit_form_double_submit_saves_once(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    data = visit_post(visited_at=(timezone.localtime() - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    first = client.post(reverse("mobile:visit", args=[veteran.pk]), data)
    second = client.post(reverse("mobile:visit", args=[veteran.pk]), data)
    assert first.status_code == second.status_code == 302
    assert Visit.objects.count() == 1
    visit = Visit.objects.get()
    assert str(visit.money) == "500.00" and visit.recorded_by == worker


def test_visit_form_shows_errors_and_saves_nothing(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(visited_at=future))
    assert response.status_code == 200 and "不能晚于现在" in response.content.decode()
    response = client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(money="-5"))
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_phone_reveal_is_audited(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"], phone="13912345678")
    client.force_login(worker)
    card = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    assert "13912345678" not in card and "139****5678" in card
    response = client.post(reverse("mobile:reveal_phone", args=[veteran.pk]))
    assert "tel:13912345678" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_SENSITIVE, actor=worker).exists()


def test_leader_sees_the_whole_team_list(client, tree):
    leader = make_staff(grids=[tree["grid_a11"], tree["grid_a12"]], role=Role.GRID_LEADER)
    make_veteran(tree["grid_a11"], name="一网格")
    make_veteran(tree["grid_a12"], name="二网格")
    client.force_login(leader)
    names = {v.name for v in client.get(reverse("mobile:home")).context["page"]}
    assert names == {"一网格", "二网格"}


def test_activities_page_records_and_lists_this_week(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    client.force_login(worker)
    response = client.post(
        reverse("mobile:activities"),
        {
            "grid": tree["grid_a11"].pk,
            "held_on": timezone.localdate(),
            "kind": "volunteer",
            "title": "义务理发",
            "participants": 12,
        },
    )
    assert response.status_code == 302
    assert "义务理发" in client.get(reverse("mobile:activities")).content.decode()


def test_home_page_query_count_is_bounded(client, tree, django_assert_max_num_queries):
    worker = make_staff(grids=[tree["grid_a11"]])
    for _ in range(20):
        make_veteran(tree["grid_a11"])
    client.force_login(worker)
    # session, user, scope, due list (count + page), unread, and the permissions behind the tabs
    with django_assert_max_num_queries(10):
        assert client.get(reverse("mobile:home")).status_code == 200


def test_pages_are_small(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    for _ in range(30):
        make_veteran(tree["grid_a11"])
    client.force_login(worker)
    from django.contrib.staticfiles import finders

    with open(finders.find("css/app.css"), "rb") as handle:
        css = len(handle.read())
    pages = {
        url: len(client.get(url).content)
        for url in (
            reverse("mobile:home"),
            reverse("mobile:card", args=[veteran.pk]),
            reverse("mobile:visit", args=[veteran.pk]),
        )
    }
    # The budget: any page within 50 KB, the pages of a visit with their stylesheet 150 KB.
    assert all(size + css <= 50 * 1024 for size in pages.values()), pages
    assert sum(pages.values()) + css <= 150 * 1024, pages


def test_companions_from_the_team_are_recorded_as_visitors(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    partner = make_staff(grids=[tree["grid_a11"]])
    outsider = make_staff(grids=[tree["grid_b11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(companions=[partner.pk]))
    assert set(Visit.objects.get().visitors.all()) == {worker, partner}
    response = client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(companions=[outsider.pk]))
    assert response.status_code == 200 and Visit.objects.count() == 1


def test_other_apps_add_card_buttons_with_one_registration(client, tree, monkeypatch):
    from visits import card_actions

    monkeypatch.setattr(card_actions, "_ACTIONS", [])
    card_actions.register_card_action(card_actions.CardAction("报告困难", "mobile:event", "visits.add_visit"))
    card_actions.register_card_action(card_actions.CardAction("仅限站内", "mobile:event", "veterans.import_veterans"))
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    body = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    assert "报告困难" in body and reverse("mobile:event", args=[veteran.pk]) in body
    assert "仅限站内" not in body  # shown only to those with the permission


class _VisibleControls(HTMLParser):
    """The form controls a phone shows at once: not hidden, not inside a closed <details>."""

    def __init__(self):
        super().__init__()
        self.closed_depth = 0  # nesting inside closed <details>
        self.details = []  # open flag of each <details> entered
        self.visible: list[str] = []
        self.folded: list[str] = []
        self.open_sections: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "details":
            is_open = "open" in attributes
            self.details.append(is_open)
            self.closed_depth += not is_open
            if is_open:
                self.open_sections.append(attributes.get("id", ""))
            return
        if tag not in ("input", "select", "textarea") or "hidden" in attributes:
            return
        if tag == "input" and attributes.get("type") in ("hidden", "submit", "button"):
            return
        (self.folded if self.closed_depth else self.visible).append(attributes.get("name", ""))

    def handle_endtag(self, tag):
        if tag == "details":
            self.closed_depth -= not self.details.pop()


def _controls(response) -> _VisibleControls:
    page = response.content.decode()
    form = page[page.index('<form method="post" enctype="multipart/form-data" id="visit-form"') :]
    parser = _VisibleControls()
    parser.feed(form[: form.index("</form>")])
    return parser


def test_the_common_visit_is_one_screen_of_at_most_six_fields_with_defaults(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    response = client.get(reverse("mobile:visit", args=[veteran.pk]))
    controls = _controls(response)
    assert len(controls.visible) <= 6
    assert controls.visible == ["visited_at", "method", "findings", "needs", "photos"]
    assert controls.open_sections == []  # nothing special chosen: every section folded
    assert {"kind", "event_kind", "money", "goods", "goods_value", "follow_up_needed"} <= set(controls.folded)
    form = response.context["form"]
    assert form["method"].value() == "home" and form["kind"].value() == "routine"
    shown_now = form["visited_at"].value()  # local wall time, as the datetime-local input shows it
    assert abs(shown_now - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=2)
    body = response.content.decode()
    assert 'id="submit-visit"' in body and 'name="client_id"' in body and 'id="locate"' in body


def test_a_refused_save_lists_each_error_at_the_top_and_opens_its_section(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    response = client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(money="-5", goods=""))
    assert response.status_code == 200 and not Visit.objects.exists()
    body = response.content.decode()
    summary = body[body.index('id="error-summary"') : body.index("</div>", body.index('id="error-summary"'))]
    assert 'role="alert"' in summary and '<a href="#id_money">慰问金（元）：' in summary
    assert body.index('id="error-summary"') < body.index('id="visit-form"')
    assert _controls(response).open_sections == ["section-money"]

    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mobile:visit", args=[veteran.pk]),
        visit_post(visited_at=future, money="0", goods="", goods_value="0", kind="must_visit", event_kind="hospital"),
    )
    body = response.content.decode()
    assert '<a href="#id_visited_at">走访时间：走访时间不能晚于现在。</a>' in body
    # The choice made in a folded section is shown again, open; the untouched ones stay folded.
    assert _controls(response).open_sections == ["section-kind"]
    assert not Visit.objects.exists()


def test_the_position_asked_for_is_saved_with_the_visit(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    position = {"latitude": "39.1234561", "longitude": "117.654321", "location_accuracy": "25"}
    response = client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(**position))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (str(visit.latitude), str(visit.longitude), visit.location_accuracy) == ("39.123456", "117.654321", 25)


def test_an_impossible_position_is_named_in_the_summary(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    response = client.post(reverse("mobile:visit", args=[veteran.pk]), visit_post(latitude="123", longitude="117"))
    assert response.status_code == 200 and not Visit.objects.exists()
    assert '<a href="#locate">位置：纬度应在 -90 到 90 之间。</a>' in response.content.decode()


def test_other_apps_add_card_todos_with_one_registration(client, tree, monkeypatch):
    from visits import card_todos

    calls = []

    def wishes(*, user, veteran):
        calls.append(veteran.pk)
        return [card_todos.CardTodo("微心愿：助听器", status="认领中", detail="2026-03-01", url="/m/wishes/1/")]

    def station_only(*, user, veteran):
        raise AssertionError("not asked without the permission")

    monkeypatch.setattr(card_todos, "_PROVIDERS", [])
    card_todos.register_card_todos(card_todos.CardTodoProvider(wishes, "visits.add_visit"))
    card_todos.register_card_todos(card_todos.CardTodoProvider(station_only, "veterans.import_veterans"))
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    body = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    todos = body[body.index('id="todos"') :]
    assert '<a href="/m/wishes/1/">微心愿：助听器</a> <span class="tag">认领中</span>' in todos
    assert calls == [veteran.pk]
