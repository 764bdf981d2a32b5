from django.urls import reverse
from django.utils import timezone

from assistance.models import CaseStatus, HardshipCase
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran

# The card's to-dos (visits.card_todos): this app's open cases, and the party's follow-ups, the service
# projects' ratings and the referrals, one query each.
CARD_QUERIES = 18


def test_worker_reports_hardship_from_the_card(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(worker)
    card = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    url = reverse("mobile:hardship", args=[veteran.pk])
    assert url in card and "报告困难" in card
    from assistance.models import CaseType

    illness = CaseType.objects.get(name="大病医疗救助")
    response = client.post(
        url,
        {
            "case_type": illness.pk,
            "description": "住院",
            "reported_on": timezone.localdate(),
            "amount_requested": "8400",
            "submit_now": "on",
        },
    )
    assert response.status_code == 302
    case = HardshipCase.objects.get()
    assert case.status == CaseStatus.SUBMITTED and case.grid_id == tree["grid_a11"].pk


def test_another_grids_veteran_is_404(client, tree):
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    other = make_veteran(tree["grid_a12"])
    assert client.get(reverse("mobile:hardship", args=[other.pk])).status_code == 404
    assert not HardshipCase.objects.exists()


def _form(case_type, **extra):
    return {
        "case_type": case_type.pk,
        "description": "住院",
        "reported_on": timezone.localdate(),
        "amount_requested": "8400",
        "submit_now": "on",
        **extra,
    }


def test_papers_go_with_the_report_or_nothing_is_saved(client, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assistance.models import CaseAttachment, CaseType
    from assistance.tests.test_attachments import PDF

    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    illness = CaseType.objects.get(name="大病医疗救助")
    client.force_login(worker)
    url = reverse("mobile:hardship", args=[veteran.pk])
    bad = [SimpleUploadedFile("诊断.pdf", PDF), SimpleUploadedFile("票据.jpg", b"not an image")]
    response = client.post(url, _form(illness, papers=bad))
    assert response.status_code == 200 and "票据.jpg" in response.content.decode()
    assert not HardshipCase.objects.exists() and not CaseAttachment.objects.exists()
    response = client.post(url, _form(illness, papers=[SimpleUploadedFile("诊断.pdf", PDF)]))
    assert response.status_code == 302 and HardshipCase.objects.get().attachments.count() == 1


def test_worker_follows_own_cases_and_resubmits_a_returned_one(client, tree, people, illness):
    from assistance.services import case_step
    from assistance.tests.test_views import submitted_case

    case = submitted_case(people, illness, tree["grid_a11"], "退回老兵")
    case_step(case=case, action="return", acting_user=people["station"], comment="请补充诊断证明")
    submitted_case(people, illness, tree["grid_b11"], "别的网格")
    client.force_login(people["worker"])
    listing = client.get(reverse("mobile:cases")).content.decode()
    assert "退回老兵" in listing and "别的网格" not in listing
    page = client.get(reverse("mobile:case", args=[case.pk])).content.decode()
    assert "请补充诊断证明" in page
    client.post(reverse("mobile:case_action", args=[case.pk]), {"action": "submit"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_another_grids_case_is_404_on_the_phone(client, tree, people, illness):
    from assistance.tests.test_views import submitted_case

    other = submitted_case(people, illness, tree["grid_b11"], "别的网格")
    client.force_login(people["worker"])
    assert client.get(reverse("mobile:case", args=[other.pk])).status_code == 404
    assert client.post(reverse("mobile:case_action", args=[other.pk]), {"action": "withdraw"}).status_code == 404
    other.refresh_from_db()
    assert other.status == CaseStatus.SUBMITTED


def test_a_case_reported_from_the_card_is_on_the_cards_to_do_list(client, tree):
    from assistance.models import CaseType

    worker = make_staff(grids=[tree["grid_a11"]])
    veteran = make_veteran(tree["grid_a11"])
    illness = CaseType.objects.get(name="大病医疗救助")
    client.force_login(worker)
    response = client.post(reverse("mobile:hardship", args=[veteran.pk]), _form(illness), follow=True)
    case = HardshipCase.objects.get()
    assert response.redirect_chain == [(reverse("mobile:card", args=[veteran.pk]), 302)]
    body = response.content.decode()
    todos = body[body.index('id="todos"') : body.index("</ul>", body.index('id="todos"'))]
    assert f'<a href="{reverse("mobile:case", args=[case.pk])}">困难救助：大病医疗救助</a>' in todos
    assert '<span class="tag">已提交</span>' in todos and "¥8,400.00" in todos


def _case(people, illness, veteran, *, action="submit"):
    from assistance.services import case_open, case_step

    case = case_open(
        veteran=veteran,
        case_type=illness,
        description="住院",
        reported_on=timezone.localdate(),
        amount_requested="3000",
        acting_user=people["worker"],
    )
    return case_step(case=case, action=action, acting_user=people["worker"])


def test_ended_cases_leave_the_to_do_list_and_no_query_is_made_per_case(
    client, tree, people, illness, django_assert_num_queries, monkeypatch
):
    from visits import card_todos

    quiet = make_veteran(tree["grid_a11"], name="无救助")
    busy = make_veteran(tree["grid_a11"], name="多件救助")
    open_cases = [_case(people, illness, busy) for _ in range(3)]
    withdrawn = _case(people, illness, busy, action="withdraw")
    client.force_login(people["worker"])
    client.get(reverse("mobile:card", args=[quiet.pk]))  # the worker's permissions and scope are now cached
    # session, user, scope, second factor, the person, the view log, honours, priority care,
    # recent visits, events, follow-ups, permissions (2), unread count, and one query for the open
    # cases: the same with none or three
    for veteran in (quiet, busy):
        with django_assert_num_queries(CARD_QUERIES):
            body = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    assert all(reverse("mobile:case", args=[case.pk]) in body for case in open_cases)
    assert reverse("mobile:case", args=[withdrawn.pk]) not in body
    monkeypatch.setattr(card_todos, "_PROVIDERS", [])
    with django_assert_num_queries(CARD_QUERIES - 4):  # each provider was one more
        client.get(reverse("mobile:card", args=[busy.pk]))
