"""The file of a person who moves out of this installation, as a package for the receiving
bureau: a .zip holding one .xlsx (the file, its history, visits, cases, appeals) and the
cases' attachments. Built for the service that marks the person 已迁出; it reads only."""

import io
import zipfile

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from appeals.models import Appeal
from assistance.models import CaseAttachment, HardshipCase
from veterans.models import Veteran, VeteranChange
from visits.models import Visit

# Derived keys and bookkeeping: the receiving bureau recomputes its own.
_LEFT_OUT = {
    "id_number_hash",
    "phone_hash",
    "id_tail",
    "phone_tail",
    "name_pinyin",
    "name_initials",
    "month_only_dates",
}


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value if isinstance(value, int | float) else str(value)


def _shown(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if field.is_relation:
        return _cell(getattr(obj, field.name))
    return _cell(getattr(obj, field.attname))


def _table(workbook, title: str, rows, fields: list[str], model) -> None:
    sheet = workbook.create_sheet(title)
    meta = [model._meta.get_field(name) for name in fields]
    sheet.append([str(field.verbose_name) for field in meta])
    for row in rows:
        sheet.append([_shown(row, field) for field in meta])


def _workbook(veteran: Veteran) -> bytes:
    workbook = Workbook()
    person = workbook.active
    person.title = _("档案")
    for field in Veteran._meta.concrete_fields:
        if field.name not in _LEFT_OUT and field.name != "id":
            person.append([str(field.verbose_name), _shown(veteran, field)])
    person.append([_("优抚类别"), "、".join(str(row) for row in veteran.priority_care.all())])
    person.append([_("家庭成员"), "；".join(str(row) for row in veteran.family.all())])
    _table(
        workbook,
        _("变更记录"),
        VeteranChange.objects.filter(veteran=veteran).select_related("actor").order_by("changed_at", "id"),
        ["changed_at", "actor", "kind", "field", "old_value", "new_value", "reason"],
        VeteranChange,
    )
    _table(
        workbook,
        _("走访记录"),
        Visit.objects.filter(veteran=veteran).select_related("recorded_by").order_by("visited_at", "id"),
        ["visited_at", "method", "kind", "recorded_by", "findings", "needs", "money", "goods"],
        Visit,
    )
    _table(
        workbook,
        _("困难救助"),
        HardshipCase.objects.filter(veteran=veteran).select_related("case_type").order_by("created_at", "id"),
        ["case_type", "status", "description", "reported_on", "amount_requested", "amount_approved", "paid_at"],
        HardshipCase,
    )
    _table(
        workbook,
        _("诉求"),
        Appeal.objects.filter(veteran=veteran).select_related("category").order_by("id"),
        ["category", "channel", "subject", "content", "status", "received_on"],
        Appeal,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_package(veteran: Veteran) -> bytes:
    """The zip: 档案.xlsx, and attachments/<case id>/<original name> for every case attachment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(f"{veteran.name}_{_('档案')}.xlsx", _workbook(veteran))
        attachments = CaseAttachment.objects.filter(case__veteran=veteran).order_by("case_id", "id")
        for attachment in attachments:
            with attachment.file.open("rb") as handle:
                package.writestr(
                    f"attachments/{attachment.case_id}/{attachment.pk}_{attachment.original_name}", handle.read()
                )
    return buffer.getvalue()
