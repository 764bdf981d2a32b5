from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from assistance.models import CaseAttachment, CaseStatus, FundEntry, HardshipCase
from assistance.services import case_step
from assistance.tests.test_attachments import PDF
from assistance.tests.test_views import submitted_case
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_grid_worker_opens_a_case_for_their_own_veteran_only(tree, people, illness):
    mine, other = make_veteran(tree["grid_a11"]), make_veteran(tree["grid_b11"])
    payload = {
        "case_type": illness.pk,
        "description": "住院",
        "reported_on": str(timezone.localdate()),
        "amount_requested": "3000.00",
    }
    response = api(people["worker"]).post("/api/cases/", {**payload, "veteran": mine.pk}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "draft"
    response = api(people["worker"]).post("/api/cases/", {**payload, "veteran": other.pk}, format="json")
    assert response.status_code == 400 and "veteran" in response.json()
    assert HardshipCase.objects.count() == 1


def test_cases_of_another_area_are_absent_and_not_found(tree, people, illness):
    mine = submitted_case(people, illness, tree["grid_a11"], "本社区")
    other = submitted_case(people, illness, tree["grid_b11"], "外街道")
    client = api(people["station"])
    ids = [row["id"] for row in client.get("/api/cases/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/cases/{other.pk}/").status_code == 404
    assert client.post(f"/api/cases/{other.pk}/step/", {"action": "review"}, format="json").status_code == 404
    upload = SimpleUploadedFile("x.pdf", PDF)
    assert client.post(f"/api/cases/{other.pk}/attachments/", {"kind": "other", "file": upload}).status_code == 404
    other.refresh_from_db()
    assert other.status == CaseStatus.SUBMITTED and not CaseAttachment.objects.exists()


def test_steps_through_the_api_refuse_with_the_rule_and_the_amount_left(tree, people, illness, fund):
    case = submitted_case(people, illness, tree["grid_a11"], "老兵")
    case_step(case=case, action="review", acting_user=people["station"])
    response = api(people["station"]).post(f"/api/cases/{case.pk}/step/", {"action": "approve"}, format="json")
    assert response.status_code == 403 and "服务站审批权限 ¥2,000.00" in response.json()["detail"]
    response = api(people["leader"]).post(
        f"/api/cases/{case.pk}/step/", {"action": "approve", "amount": "12000"}, format="json"
    )
    assert response.status_code == 400 and "¥10,000.00" in response.json()["amount"][0]
    response = api(people["leader"]).post(f"/api/cases/{case.pk}/step/", {"action": "approve"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api(people["cashier"]).post(
        f"/api/cases/{case.pk}/step/", {"action": "pay", "fund": fund.pk}, format="json"
    )
    body = response.json()
    assert body["status"] == "paid" and body["sources"][0]["amount"] == "3000.00"
    assert [s["action"] for s in body["steps"]] == ["submit", "review", "approve", "pay"]


def test_papers_are_uploaded_through_the_api_and_checked(tree, people, illness):
    case = submitted_case(people, illness, tree["grid_a11"], "老兵")
    client = api(people["worker"])
    fake = SimpleUploadedFile("发票.pdf", b"GIF89a not really")
    response = client.post(f"/api/cases/{case.pk}/attachments/", {"kind": "invoice", "file": fake})
    assert response.status_code == 400 and not CaseAttachment.objects.exists()
    response = client.post(
        f"/api/cases/{case.pk}/attachments/", {"kind": "invoice", "file": SimpleUploadedFile("发票.pdf", PDF)}
    )
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"


def test_money_in_through_the_api_and_its_trace(tree, people, illness, fund):
    client = api(people["cashier"])
    response = client.post(
        "/api/fund-entries/",
        {"fund": fund.pk, "kind": "donation", "amount": "100.10", "donor_kind": "person", "donor_name": "王女士"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["receipt_no"].startswith("JZ")
    response = client.post("/api/fund-entries/", {"fund": fund.pk, "kind": "payment", "amount": "5"}, format="json")
    assert response.status_code == 400
    allocation = FundEntry.objects.filter(fund=fund, kind="allocation").get()
    assert client.get(f"/api/fund-entries/{allocation.pk}/trace/").json() == []
    assert FundEntry.objects.filter(fund=fund).count() == 2
    assert api(people["worker"]).get("/api/fund-entries/").status_code == 403  # grid teams see no ledgers


def test_money_in_with_a_donor_kind_the_ledger_does_not_know_is_refused(people, fund):
    payload = {"fund": fund.pk, "kind": "donation", "amount": "10", "donor_kind": "alien", "donor_name": "某某"}
    response = api(people["cashier"]).post("/api/fund-entries/", payload, format="json")
    assert response.status_code == 400 and "donor_kind" in response.json()
    assert FundEntry.objects.filter(fund=fund).count() == 1  # the opening allocation only


def test_street_staff_cannot_touch_a_district_fund_through_the_api(tree, people, fund):
    street_staff = make_staff(tree["street_b"], role=Role.STATION_STAFF)
    client = api(street_staff)
    assert client.get(f"/api/funds/{fund.pk}/").status_code == 404
    response = client.post("/api/fund-entries/", {"fund": fund.pk, "kind": "allocation", "amount": "5"}, format="json")
    assert response.status_code == 400 and "fund" in response.json()
    fund.refresh_from_db()
    assert fund.balance == Decimal("1650000.00")


def test_case_list_runs_a_fixed_number_of_queries(tree, people, illness, django_assert_max_num_queries):
    for n in range(15):
        submitted_case(people, illness, tree["grid_a11"], f"老兵{n}")
    with django_assert_max_num_queries(6):
        response = api(people["station"]).get("/api/cases/")
    assert response.json()["count"] == 15


def test_the_trace_answers_the_bare_list_its_schema_promises(tree, people, illness, fund):
    case = submitted_case(people, illness, tree["grid_a11"], "王德顺", amount="1200")
    for action, actor in (("review", people["cashier"]), ("approve", people["leader"])):
        case = case_step(case=case, action=action, acting_user=actor)
    case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    case.refresh_from_db()
    allocation = FundEntry.objects.get(fund=fund, kind="allocation")
    client = api(people["cashier"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/fund-entries/{id}/trace/"]["get"]
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [("id", "path")]  # no filters, no pages
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array" and body["items"]["$ref"] == "#/components/schemas/Trace"
    item = schema["components"]["schemas"]["Trace"]

    answer = client.get(f"/api/fund-entries/{allocation.pk}/trace/", {"kind": "payment", "page": "9"}).json()
    assert answer == [{"payment": case.payment_id, "case": case.pk, "amount": "1200.00", "given_back": False}]
    assert set(answer[0]) == set(item["properties"]) and set(item["required"]) <= set(answer[0])
