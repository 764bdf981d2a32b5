"""The case services as one home: the phone's report in one transaction, and the step back when
a case's payment is reversed written by the cases module only."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assistance.models import CaseAttachment, CaseStatus, CaseStep, HardshipCase
from assistance.services import case_open, case_payment_reversed, case_report, case_step, fund_pay, fund_reverse
from assistance.tests.test_attachments import PDF, jpeg_bytes
from audit.models import AuditEvent
from core.errors import ApplicationError
from veterans.tests.factories import make_veteran


def _report(veteran, case_type, acting_user, **extra):
    return case_report(
        veteran=veteran,
        case_type=case_type,
        description="住院",
        amount_requested="3000",
        reported_on=timezone.localdate(),
        acting_user=acting_user,
        **extra,
    )


def _audited(model_label: str) -> list[str]:
    return list(AuditEvent.objects.filter(object_type=model_label).order_by("id").values_list("action", flat=True))


def test_it_opens_attaches_and_submits_a_report_in_one_go(tree, people, illness):
    veteran = make_veteran(tree["grid_a11"])
    papers = [SimpleUploadedFile("诊断.pdf", PDF), SimpleUploadedFile("票据.jpg", jpeg_bytes())]
    case = _report(veteran, illness, people["worker"], papers=papers, submit_now=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.opened_by == people["worker"]
    assert sorted(case.attachments.values_list("original_name", flat=True)) == ["票据.jpg", "诊断.pdf"]
    assert list(case.steps.values_list("action", "actor")) == [("submit", people["worker"].pk)]
    assert _audited("assistance.hardshipcase") == ["create", "update"]
    assert _audited("assistance.caseattachment") == ["create", "create"]


def test_it_keeps_a_report_as_a_draft_unless_submitted(tree, people, illness):
    case = _report(make_veteran(tree["grid_a11"]), illness, people["worker"])
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and not case.steps.exists() and not case.attachments.exists()


def test_a_refused_submission_leaves_no_case_behind(tree, people, illness):
    # The bureau leader may open a case in the district but not submit one: the last step fails.
    veteran = make_veteran(tree["grid_a11"])
    with pytest.raises(ApplicationError) as refused:
        _report(veteran, illness, people["leader"], submit_now=True)
    assert refused.value.code == "forbidden"
    assert not HardshipCase.objects.exists() and not CaseStep.objects.exists()
    assert _audited("assistance.hardshipcase") == []


def test_a_refused_second_paper_leaves_no_case_nor_the_first_paper(tree, people, illness):
    veteran = make_veteran(tree["grid_a11"])
    papers = [SimpleUploadedFile("诊断.pdf", PDF), SimpleUploadedFile("诊断副本.pdf", PDF)]
    with pytest.raises(ApplicationError, match="已上传过"):
        _report(veteran, illness, people["worker"], papers=papers, submit_now=True)
    assert not HardshipCase.objects.exists() and not CaseAttachment.objects.exists()
    assert _audited("assistance.hardshipcase") == [] and _audited("assistance.caseattachment") == []


def test_reversing_a_case_payment_steps_the_case_back_through_the_cases_module(tree, people, illness, fund):
    case = case_open(
        veteran=make_veteran(tree["grid_a11"]),
        case_type=illness,
        description="住院",
        amount_requested="3000",
        reported_on=timezone.localdate(),
        acting_user=people["worker"],
    )
    for action, actor in (("submit", "worker"), ("review", "station"), ("approve", "leader")):
        case_step(case=case, action=action, acting_user=people[actor])
    case = case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    reversal = fund_reverse(entry=case.payment, reason=" 发错账户 ", acting_user=people["cashier"])
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.paid_at is None
    step = case.steps.get(action="reverse")
    assert (step.from_status, step.to_status, step.comment) == ("paid", "approved", "发错账户")
    assert AuditEvent.objects.filter(object_type="assistance.hardshipcase", detail__reversal=reversal.pk).exists()
    # A reversal of some other entry is not this case's business.
    other = fund_pay(fund=fund, amount="10", acting_user=people["cashier"], reference="慰问品")
    with pytest.raises(ValueError):
        case_payment_reversed(case=case, reversal=other, reason="x", acting_user=people["cashier"])
    assert case.steps.filter(action="reverse").count() == 1


def test_only_the_cases_module_writes_case_steps():
    app = Path(__file__).resolve().parents[1]
    writers = [
        path.relative_to(app).as_posix()
        for path in app.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and re.search(
            r"CaseStep\.objects\.(create|bulk_create|update|get_or_create)|(?<!class )CaseStep\(", path.read_text()
        )
    ]
    assert writers == ["services/cases.py"]
