"""The ledgers (台账) stations keep, as .xlsx: scoped, masked unless allowed, streamed.

Each is registered as an exports ledger (`veterans:<key>`): a small export is written in the
request (write-only workbook in a temporary file, sent from disk), a big one by a worker of the
exports queue, through the requester's scope and masked as the requester may see.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.masking import mask_id_number, mask_phone
from exports import registry
from exports.registry import Requester
from exports.services import ledger_response as export_ledger_response
from veterans.models import PersonKind, SourceSoldier, Veteran, age_on
from veterans.rules import KeyGroup, key_groups, missing_items

Row = list


@dataclass(frozen=True)
class Ledger:
    key: str
    title: str
    headers: list[str]
    row: Callable[["_Context", Veteran], Row]
    restrict: Callable[[QuerySet], QuerySet] = lambda qs: qs


@dataclass
class _Context:
    unmasked: bool
    today: datetime.date

    def id_number(self, veteran: Veteran) -> str:
        return veteran.id_number if self.unmasked else mask_id_number(veteran.id_number)

    def phone(self, veteran: Veteran) -> str:
        return veteran.phone if self.unmasked else mask_phone(veteran.phone)


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def _categories(veteran: Veteran) -> str:
    return "、".join(str(care) for care in veteran.priority_care.all())


def _groups(context: _Context, veteran: Veteran) -> str:
    kinds = {honour.kind for honour in veteran.honours.all()}
    return "、".join(str(KeyGroup.labels[g]) for g in key_groups(veteran, kinds, context.today))


def _area(veteran: Veteran) -> list[str]:
    return [veteran.street.name, veteran.community.name, veteran.grid.name]


def _soldier(veteran: Veteran) -> SourceSoldier | None:
    try:
        return veteran.source_soldier
    except SourceSoldier.DoesNotExist:
        return None


def _classification(c: _Context, v: Veteran) -> Row:
    return [
        v.name,
        v.get_gender_display(),
        v.birth_date,
        age_on(v.birth_date, c.today),
        c.id_number(v),
        c.phone(v),
        *_area(v),
        v.get_person_kind_display(),
        v.get_veteran_type_display(),
        v.get_branch_display(),
        v.enlistment_date,
        v.discharge_date,
        _categories(v),
        _groups(c, v),
        v.get_life_status_display(),
    ]


def _pairing(c: _Context, v: Veteran) -> Row:
    staff = v.paired_staff
    return [
        v.name,
        c.id_number(v),
        c.phone(v),
        *_area(v),
        _groups(c, v),
        staff.user.first_name if staff else _("未结对"),
        staff.get_role_display() if staff else "",
        staff.phone if staff else "",
    ]


def _collection(c: _Context, v: Veteran) -> Row:
    family_count = len(v.family.all())
    return [
        v.name,
        v.get_gender_display(),
        v.ethnicity,
        c.id_number(v),
        v.birth_date,
        c.phone(v),
        v.residence_address,
        v.household_registration,
        *_area(v),
        v.get_person_kind_display(),
        v.get_veteran_type_display(),
        v.get_branch_display(),
        v.enlistment_date,
        v.discharge_date,
        _categories(v),
        _yes(v.receives_regular_subsidy),
        _yes(v.is_party_member),
        v.get_party_relation_display(),
        v.get_employment_display(),
        v.get_medical_insurance_display(),
        v.skills,
        v.service_needs,
        v.serious_illness,
        _yes(v.minimum_living_allowance),
        _yes(v.extreme_poverty),
        _yes(v.registered_poor),
        v.glory_plaque_hung_on,
        family_count,
        v.completeness,
        "、".join(str(item.label) for item in missing_items(v, family_count=family_count)),
        v.notes,
    ]


def _hardship(c: _Context, v: Veteran) -> Row:
    return [
        v.name,
        c.id_number(v),
        c.phone(v),
        v.residence_address,
        *_area(v),
        _yes(v.minimum_living_allowance),
        _yes(v.extreme_poverty),
        _yes(v.registered_poor),
        v.serious_illness,
        v.service_needs,
        len(v.family.all()),
        _categories(v),
    ]


def _party(c: _Context, v: Veteran) -> Row:
    return [
        v.name,
        v.get_gender_display(),
        v.birth_date,
        c.id_number(v),
        c.phone(v),
        *_area(v),
        v.get_party_relation_display() or _("未登记"),
        v.get_employment_display(),
        v.get_veteran_type_display(),
    ]


def _plaque(c: _Context, v: Veteran) -> Row:
    return [
        v.name,
        c.phone(v),
        v.residence_address,
        *_area(v),
        _yes(v.glory_plaque_hung_on is not None),
        v.glory_plaque_hung_on,
        v.get_life_status_display(),
    ]


def _martyr_survivor(c: _Context, v: Veteran) -> Row:
    soldier = _soldier(v)
    return [
        v.name,
        v.get_gender_display(),
        v.birth_date,
        age_on(v.birth_date, c.today),
        c.id_number(v),
        c.phone(v),
        v.residence_address,
        *_area(v),
        soldier.name if soldier else "",
        soldier.get_relation_display() if soldier else "",
        soldier.unit if soldier else "",
        soldier.death_date if soldier else None,
        soldier.death_place if soldier else "",
        soldier.certificate_number if soldier else "",
        _yes(v.receives_regular_subsidy),
        _categories(v),
        v.glory_plaque_hung_on,
        v.get_life_status_display(),
    ]


def _military_family(c: _Context, v: Veteran) -> Row:
    soldier = _soldier(v)
    return [
        v.name,
        v.get_gender_display(),
        v.birth_date,
        c.id_number(v),
        c.phone(v),
        v.residence_address,
        *_area(v),
        soldier.name if soldier else "",
        soldier.get_relation_display() if soldier else "",
        soldier.unit if soldier else "",
        _categories(v),
        v.glory_plaque_hung_on,
        v.get_life_status_display(),
    ]


# Ledger headers are the Chinese formats stations already exchange; they do not follow the UI
# language, so a file exported in English mode still matches the bureau's templates.
AREA_HEADERS = ["街道/镇", "社区/村", "网格"]

LEDGERS = {
    ledger.key: ledger
    for ledger in [
        Ledger(
            "classification", gettext_lazy("分类名册"),
            ["姓名", "性别", "出生日期", "年龄", "公民身份号码", "联系电话", *AREA_HEADERS, "人员类别", "退役类别",
             "服役军种", "入伍时间", "退役时间", "优抚类别", "重点群体", "状态"],
            _classification,
        ),
        Ledger(
            "pairing", gettext_lazy("结对名册"),
            ["姓名", "公民身份号码", "联系电话", *AREA_HEADERS, "重点群体", "结对人", "结对人角色", "结对人电话"],
            _pairing,
        ),
        Ledger(
            "collection", gettext_lazy("信息采集明细"),
            ["姓名", "性别", "民族", "公民身份号码", "出生日期", "联系电话", "现居住地址", "户籍地", *AREA_HEADERS,
             "人员类别", "退役类别", "服役军种", "入伍时间", "退役时间", "优抚类别", "定期补助", "中共党员", "组织关系",
             "就业状况", "医疗保险", "专项特长", "服务需求", "重大疾病", "低保", "特困", "建档立卡贫困户",
             "光荣牌悬挂日期", "家庭成员数", "完整度", "缺失项", "备注"],
            _collection,
        ),
        Ledger(
            "hardship", gettext_lazy("困难家庭情况"),
            ["姓名", "公民身份号码", "联系电话", "现居住地址", *AREA_HEADERS, "低保", "特困", "建档立卡贫困户",
             "重大疾病", "服务需求", "家庭成员数", "优抚类别"],
            _hardship,
            lambda qs: qs.filter(
                Q(minimum_living_allowance=True) | Q(extreme_poverty=True) | Q(registered_poor=True)
                | ~Q(serious_illness="")
            ),
        ),
        Ledger(
            "party", gettext_lazy("党员台账"),
            ["姓名", "性别", "出生日期", "公民身份号码", "联系电话", *AREA_HEADERS, "组织关系", "就业状况", "退役类别"],
            _party,
            lambda qs: qs.filter(is_party_member=True),
        ),
        Ledger(
            "plaque", gettext_lazy("光荣牌"),
            ["姓名", "联系电话", "现居住地址", *AREA_HEADERS, "是否悬挂", "悬挂日期", "状态"],
            _plaque,
        ),
        Ledger(
            "martyr_survivors", gettext_lazy("烈士遗属名册"),
            ["姓名", "性别", "出生日期", "年龄", "公民身份号码", "联系电话", "现居住地址", *AREA_HEADERS, "烈士姓名",
             "与烈士关系", "部队", "牺牲日期", "牺牲地点", "烈士证书编号", "定期补助", "优抚类别", "光荣牌悬挂日期",
             "状态"],
            _martyr_survivor,
            lambda qs: qs.filter(person_kind=PersonKind.MARTYR_SURVIVOR),
        ),
        Ledger(
            "military_families", gettext_lazy("军属名册"),
            ["姓名", "性别", "出生日期", "公民身份号码", "联系电话", "现居住地址", *AREA_HEADERS, "军人姓名",
             "与军人关系", "部队", "优抚类别", "光荣牌悬挂日期", "状态"],
            _military_family,
            lambda qs: qs.filter(person_kind=PersonKind.SERVING_FAMILY),
        ),
    ]
}  # fmt: skip


def _prepared(queryset: QuerySet[Veteran]) -> QuerySet[Veteran]:
    return (
        queryset.select_related("street", "community", "grid", "paired_staff__user", "source_soldier")
        .prefetch_related("priority_care", "honours", "family")
        .order_by("street_id", "community_id", "grid_id", "id")
    )


def ledger_rows(ledger: Ledger, queryset: QuerySet[Veteran], *, unmasked: bool):
    """The rows of an already restricted queryset: a fixed number of queries per chunk of 2000."""
    context = _Context(unmasked=unmasked, today=timezone.localdate())
    for veteran in _prepared(queryset).iterator(chunk_size=2000):
        yield ledger.row(context, veteran)


def _unmasked(requester: Requester) -> bool:
    """Full ID numbers and phones only if the requester asked and may: checked again by the worker."""
    return bool(requester.options.get("unmasked")) and requester.user.has_perm("veterans.export_unmasked")


def _export_ledger(ledger: Ledger) -> registry.Ledger:
    return registry.Ledger(
        key=f"veterans:{ledger.key}",
        title=lambda: str(ledger.title),
        header_names=ledger.headers,
        rows=lambda queryset, requester: ledger_rows(ledger, queryset, unmasked=_unmasked(requester)),
        audit_detail=lambda requester: {"ledger": ledger.key, "unmasked": _unmasked(requester)},
        notes=lambda requester: [[_("身份证号与电话"), _("完整") if _unmasked(requester) else _("已脱敏")]],
        restrict=ledger.restrict,
        translate_headers=False,  # the Chinese formats stations exchange (AREA_HEADERS)
    )


# Registered by VeteransConfig.ready, so a worker of the exports queue knows them.
EXPORT_LEDGERS = [_export_ledger(ledger) for ledger in LEDGERS.values()]


def ledger_response(ledger_key: str, queryset: QuerySet[Veteran], *, user, request=None, unmasked: bool = False):
    """One ledger over an already scoped queryset: the file when small, else a background job
    (exports app). Masked unless the user asked for full numbers and may have them; audited."""
    options = {"unmasked": True} if unmasked else {}
    return export_ledger_response(
        request, ledger_key=f"veterans:{ledger_key}", queryset=queryset, user=user, options=options
    )
