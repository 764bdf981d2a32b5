import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from employment.models import EmploymentProfile, JobReferral
from employment.tests.conftest import YOUNG
from employment.tests.factories import make_profile
from exports.tests.helpers import direct_and_background, forged_rows
from veterans.tests.factories import make_veteran

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
CHANGELIST = "admin:employment_employmentprofile_changelist"


def test_station_finds_seekers_by_status_and_name(client, people, veterans):
    make_profile(veterans["mine"], since=TODAY - 30 * DAY)
    make_profile(veterans["theirs"], since=TODAY - 30 * DAY)
    client.force_login(people["station"])
    response = client.get(reverse(CHANGELIST), {"status__exact": "seeking", "q": "王德顺"})
    assert response.status_code == 200
    assert [p.person.name for p in response.context["cl"].queryset] == ["王德顺"]
    assert client.get(reverse(CHANGELIST), {"q": "李长青"}).context["cl"].result_count == 0


def test_station_refers_and_records_the_hire_in_the_admin(client, people, veterans, employer):
    profile = make_profile(veterans["mine"], since=TODAY - 30 * DAY)
    client.force_login(people["station"])
    page = client.get(reverse("admin:employment_employmentprofile_change", args=[profile.pk]))
    assert page.status_code == 200 and "推荐到企业" in page.content.decode()
    response = client.post(
        reverse("admin:employment_jobreferral_add"),
        {"person": veterans["mine"].pk, "employer": employer.pk, "position": "仓管", "referred_on": TODAY - 2 * DAY},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    referral = JobReferral.objects.get()
    early = client.post(
        reverse("admin:employment_jobreferral_change", args=[referral.pk]),
        {"result": "hired", "result_on": TODAY - 3 * DAY, "note": ""},
    )
    assert early.status_code == 200 and "早于推荐日期" in early.content.decode()
    response = client.post(
        reverse("admin:employment_jobreferral_change", args=[referral.pk]),
        {"result": "hired", "result_on": TODAY, "note": "试用期三个月"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.workplace) == ("employed", employer.name)
    placed = client.get(reverse(CHANGELIST), {"placed_in": TODAY.year})
    assert [p.pk for p in placed.context["cl"].queryset] == [profile.pk]


def test_a_status_change_in_the_admin_needs_its_date(client, people, veterans):
    profile = make_profile(veterans["mine"], since=TODAY - 30 * DAY)
    client.force_login(people["station"])
    url = reverse("admin:employment_employmentprofile_change", args=[profile.pk])
    form = {
        "status": "self_employed",
        "workplace": "农家乐",
        "skills": "",
        "wish_note": "",
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "1",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-name": "厨师证",
        "certificates-0-issuer": "县人社局",
        "certificates-0-issued_on": (TODAY - DAY).isoformat(),
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "状态变更日期" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == "seeking" and not profile.certificates.exists()
    response = client.post(url, {**form, "changed_on": TODAY.isoformat()})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.certificates.get().name) == ("self_employed", "厨师证")


def test_the_ledger_is_exported_with_its_information_sheet(client, people, veterans):
    make_profile(veterans["mine"], since=TODAY - 30 * DAY, wants_job=True)
    client.force_login(people["station"])
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_ledger", "_selected_action": list(EmploymentProfile.objects.values_list("pk", flat=True))},
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "导出信息" in book.sheetnames
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert any("王德顺" in row for row in rows)


def test_a_big_ledger_is_built_in_the_background_as_the_file_would_be(
    client, tree, people, veterans, settings, django_capture_on_commit_callbacks
):
    make_profile(veterans["mine"], since=TODAY - 30 * DAY, wants_job=True)
    make_profile(make_veteran(tree["grid_a12"], name="周海涛", birth_date=YOUNG), since=TODAY - 30 * DAY)
    make_profile(veterans["theirs"], since=TODAY - 30 * DAY)
    client.force_login(people["station"])
    everything = {
        "action": "export_ledger",
        "_selected_action": list(EmploymentProfile.objects.values_list("pk", flat=True)),
    }
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(reverse(CHANGELIST), everything)
    )
    assert background == direct and job.ledger == "employment"
    assert {row[2] for row in background[1:]} == {"王德顺", "周海涛"}
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="employment",
        queryset=EmploymentProfile.objects.all(),
        user=people["station"],
    )
    assert {row[2] for row in forged[1:]} == {"王德顺", "周海涛"}  # not the other street's


def test_the_ledger_reads_a_fixed_number_of_queries(tree, people, veterans, django_assert_num_queries):
    from exports.registry import Requester, ledger_named

    for number, grid in enumerate(("grid_a11", "grid_a12", "grid_b11")):
        make_profile(make_veteran(tree[grid], name=f"青年{number}", birth_date=YOUNG), since=TODAY - 30 * DAY)
    with django_assert_num_queries(2):  # the profiles with their counts, then their certificates
        rows = list(ledger_named("employment").rows(EmploymentProfile.objects.all(), Requester(people["station"])))
    assert len(rows) == 3
