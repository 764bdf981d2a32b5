"""The one write path for veteran records. Each service checks scope, validates, saves and
writes the change history (who, when, field, old → new) in the same transaction."""

import datetime
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import CharField, TextField
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.crypto.cipher import id_number_hash, phone_hash
from core.dates import MonthDate
from core.errors import ApplicationError, full_clean_or_raise
from core.masking import mask_id_number, mask_phone
from core.normalize import plain_phone
from core.uploads.images import clean_image
from grids.models import Grid
from grids.scoping import in_scope, require_actor
from veterans.duplicate_watch import WATCHED_FIELDS, files_changed
from veterans.duplicates import check_unique_id_number
from veterans.identity import parse_id_number
from veterans.models import (
    KIND_SOLDIER_STATUS,
    KINDS_NEEDING_SOLDIER,
    VETERAN_ONLY_FIELDS,
    ChangeKind,
    FamilyMember,
    Honour,
    LifeStatus,
    PersonKind,
    PriorityCare,
    PriorityCategory,
    SoldierStatus,
    SourceSoldier,
    Veteran,
    VeteranChange,
    categories_with_kind,
)
from veterans.rules import completeness_score, name_search_keys, source_soldier_text
from veterans.visit_schedule import refresh_visit_schedule

EDITABLE_FIELDS = [
    "name", "gender", "ethnicity", "id_number", "birth_date", "phone", "residence_address",
    "household_registration", "life_status", "life_status_date", "person_kind", "veteran_type", "branch",
    "enlistment_date", "discharge_date", "receives_regular_subsidy", "is_party_member",
    "party_relation", "employment", "medical_insurance", "skills", "service_needs",
    "serious_illness", "minimum_living_allowance", "extreme_poverty", "registered_poor",
    "glory_plaque_hung_on", "paired_staff", "notes",
]  # fmt: skip
MASKERS = {"id_number": mask_id_number, "phone": mask_phone}
MIN_ENLISTMENT_AGE = 14
# Dates a ledger may give only to the month (the day is unknown and never invented).
MONTH_DATE_FIELDS = ("enlistment_date", "discharge_date", "glory_plaque_hung_on")
# What a caller may say of the soldier a survivor's or family member's file derives from.
SOLDIER_FIELDS = (
    "name", "unit", "relation", "status", "death_date", "death_place", "certificate_number", "soldier_file",
)  # fmt: skip


# Changing these can move someone into another visit-policy group.
SCHEDULE_FIELDS = {"birth_date", "extreme_poverty", "minimum_living_allowance"}


def _as_shown(value, field: str, month_fields: str):
    if value is not None and field in month_fields.split(","):
        return MonthDate(value.year, value.month)
    return value


def _history_value(field: str, value) -> str:
    """What the history keeps: sensitive numbers only masked, so history never leaks them."""
    if value is None:
        return ""
    if field in MASKERS:
        return MASKERS[field](str(value))
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, MonthDate):
        return value.month_text()
    return str(value)


def _today() -> datetime.date:
    return timezone.localdate()


def _require_scope(acting_user, obj, message: str) -> None:
    if not in_scope(require_actor(acting_user), obj):
        raise ApplicationError(message, code="out_of_scope")


def _date_problems(veteran: Veteran, today: datetime.date) -> Iterator[ApplicationError]:
    """The dates' rules, one problem at most per field. Without a birth date (an ID number too
    wrong to give one) only what needs none is checked."""
    birth = veteran.birth_date
    months = veteran.month_only_dates.split(",")
    for field in ("enlistment_date", "discharge_date", "life_status_date", "glory_plaque_hung_on"):
        value = getattr(veteran, field)
        if value is None:
            continue
        if value > today:
            label = Veteran._meta.get_field(field).verbose_name
            yield ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)
            continue
        if birth is None:
            continue
        # A month-only date is "some day in that month": compared by month with the birth date.
        earliest = birth.replace(day=1) if field in months else birth
        if value < earliest:
            label = Veteran._meta.get_field(field).verbose_name
            yield ApplicationError(_("%(label)s不能早于出生日期。") % {"label": label}, field=field)
    if birth and veteran.enlistment_date and veteran.enlistment_date.year - birth.year < MIN_ENLISTMENT_AGE:
        yield ApplicationError(
            _("入伍时年龄不足%(age)s岁，请核对入伍时间。") % {"age": MIN_ENLISTMENT_AGE},
            field="enlistment_date",
        )
    if veteran.enlistment_date and veteran.discharge_date and veteran.discharge_date < veteran.enlistment_date:
        yield ApplicationError(_("退役时间不能早于入伍时间。"), field="discharge_date")
    if veteran.life_status == LifeStatus.ALIVE:
        veteran.life_status_date = None
    elif veteran.life_status_date is None:
        yield ApplicationError(_("已故或迁出时必须填写日期。"), field="life_status_date")


def note_month_only_dates(veteran: Veteran, fields: dict) -> None:
    """Keep `month_only_dates` in step with the dates being set: a MonthDate marks its field,
    any other value (or none) clears the mark; dates not being set keep theirs."""
    if not veteran.month_only_dates and not any(isinstance(fields.get(n), MonthDate) for n in MONTH_DATE_FIELDS):
        return  # the common case, checked cheaply: imports call this for every row
    marked = {name for name in veteran.month_only_dates.split(",") if name}
    for name in MONTH_DATE_FIELDS:
        if name in fields:
            if isinstance(fields[name], MonthDate):
                marked.add(name)
            else:
                marked.discard(name)
    veteran.month_only_dates = ",".join(name for name in MONTH_DATE_FIELDS if name in marked)


def _settle_month_dates(veteran: Veteran, facts) -> None:
    """A birth month must be the ID's (the day comes from the ID); a death or move-out date
    must be a day; the marked fields hold the 1st of their month."""
    birth = veteran.birth_date
    if isinstance(birth, MonthDate):
        if (birth.year, birth.month) != (facts.birth_date.year, facts.birth_date.month):
            raise ApplicationError(
                _("出生日期与身份证号不一致：身份证号显示为%(date)s。") % {"date": facts.birth_date.isoformat()},
                field="birth_date",
            )
        veteran.birth_date = facts.birth_date
    if isinstance(veteran.life_status_date, MonthDate):
        raise ApplicationError(_("去世/迁出日期须填写到日，如 2026-03-15。"), field="life_status_date")
    for name in filter(None, veteran.month_only_dates.split(",")):
        value = getattr(veteran, name)
        if value and value.day != 1:
            setattr(veteran, name, MonthDate(value.year, value.month))


def validate_veteran(veteran: Veteran, *, today: datetime.date | None = None) -> None:
    """All rules of one record; fills birth date and gender from the ID number when empty.
    ID and phone numbers typed in full-width forms are made plain first. Raises the first
    problem found."""
    problem = next(veteran_problems(veteran, today=today), None)
    if problem is not None:
        raise problem


def veteran_problems(
    veteran: Veteran, *, today: datetime.date | None = None, unreadable: Collection[str] = ()
) -> Iterator[ApplicationError]:
    """validate_veteran's rules, each problem in turn (the ledger import lists them all, so a
    clerk fixes a row once). Rules that hang on a value known to be wrong are not asked:
    `unreadable` names the fields whose cells could not be read, and without a valid ID number
    the birth date and gender are not compared with it. Lazy: a caller that stops at the first
    problem leaves the record as far as it was checked."""
    today = today or _today()
    facts = None
    if "id_number" not in unreadable:
        try:
            facts = parse_id_number(veteran.id_number, today=today)
        except ApplicationError as problem:
            yield problem
    veteran.phone = plain_phone(veteran.phone or "")
    if facts is not None:
        veteran.id_number = facts.number
        yield from _identity_problems(veteran, facts)
    if not veteran.is_party_member:
        veteran.party_relation = ""
    if "person_kind" not in unreadable:  # which fields a record may have hangs on its kind
        yield from _person_kind_problems(veteran)
    yield from _date_problems(veteran, today)
    # Without a valid ID number an empty gender is no problem of its own: it comes from the ID.
    skip = {*unreadable, "gender"} if facts is None else set(unreadable)
    yield from _typed_field_problems(veteran, skip=skip)


def _identity_problems(veteran: Veteran, facts) -> Iterator[ApplicationError]:
    """The birth date and gender against the ID number's (filled from it when left empty)."""
    try:
        _settle_month_dates(veteran, facts)
    except ApplicationError as problem:
        yield problem
        return
    if veteran.birth_date is None:
        veteran.birth_date = facts.birth_date
    elif veteran.birth_date != facts.birth_date:
        yield ApplicationError(
            _("出生日期与身份证号不一致：身份证号显示为%(date)s。") % {"date": facts.birth_date.isoformat()},
            field="birth_date",
        )
    if not veteran.gender:
        veteran.gender = facts.gender
    elif veteran.gender != facts.gender:
        yield ApplicationError(
            _("性别与身份证号不一致：身份证号显示为%(gender)s。")
            % {"gender": _("男") if facts.gender == "M" else _("女")},
            field="gender",
        )


def _person_kind_problems(veteran: Veteran) -> Iterator[ApplicationError]:
    """Service history (type, branch, enlistment, discharge) is a veteran's alone."""
    if veteran.person_kind == PersonKind.VETERAN:
        if not veteran.veteran_type:
            yield ApplicationError(_("退役军人必须填写退役类别。"), field="veteran_type")
        return
    for field in VETERAN_ONLY_FIELDS:
        if getattr(veteran, field) not in (None, ""):
            yield ApplicationError(
                _("%(label)s只适用于退役军人，%(kind)s的档案不能填写。")
                % {"label": Veteran._meta.get_field(field).verbose_name, "kind": veteran.get_person_kind_display()},
                field=field,
            )


TYPED_TEXT_FIELDS = [
    f for f in Veteran._meta.concrete_fields if f.name in EDITABLE_FIELDS and isinstance(f, CharField | TextField)
]


def _typed_field_problems(veteran: Veteran, *, skip: Collection[str] = ()) -> Iterator[ApplicationError]:
    """Required values, lengths, choices and validators of what people type; one problem at
    most per field.

    A lean full_clean(): imports run it for every row, and keys, flags and derived fields
    are set by code. Uniqueness is check_unique_id_number's, which can name the other record.
    """
    for field, attname, required, max_length, choices, validators in _typed_field_rules():
        if attname in skip:
            continue
        value = getattr(veteran, attname) or ""
        if not value:
            if required:
                yield ApplicationError(_("%(label)s不能为空。") % {"label": field.verbose_name}, field=field.name)
            continue
        if max_length and len(value) > max_length:
            yield ApplicationError(
                _("%(label)s过长，最多%(max)s个字。") % {"label": field.verbose_name, "max": max_length},
                field=field.name,
            )
            continue
        if choices and value not in choices:
            yield ApplicationError(
                _("%(label)s的取值“%(value)s”无效。") % {"label": field.verbose_name, "value": value}, field=field.name
            )
            continue
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                yield ApplicationError(" ".join(error.messages), field=field.name)
                break


@lru_cache(maxsize=1)
def _typed_field_rules() -> list[tuple]:
    """What _typed_field_problems asks of each field, worked out once rather than for every row."""
    return [
        (
            field,
            field.attname,
            not field.blank,
            field.max_length,
            _choice_values(field) if field.choices else None,
            [v for v in field.validators if not isinstance(v, MaxLengthValidator)],
        )
        for field in TYPED_TEXT_FIELDS
    ]


@lru_cache(maxsize=64)
def _choice_values(field) -> frozenset:
    return frozenset(value for value, _label in field.choices)


def derive_fields(veteran: Veteran, *, family_count: int) -> None:
    veteran.id_tail, veteran.id_number_hash = veteran.id_number[-4:], id_number_hash(veteran.id_number)
    veteran.phone_tail = veteran.phone[-4:] if veteran.phone else ""
    veteran.phone_hash = phone_hash(veteran.phone)
    veteran.name_pinyin, veteran.name_initials = name_search_keys(veteran.name)
    veteran.completeness = completeness_score(veteran, family_count=family_count)


def _history(veteran, kind, actor, *, field="", old="", new="", reason="") -> VeteranChange:
    return VeteranChange(
        veteran=veteran,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) is not None else None,  # SYSTEM is no account
        field=field,
        old_value=old,
        new_value=new,
        reason=reason[:200],
    )


def _validate_categories(categories: Iterable[tuple[str, int | None]]) -> list[PriorityCare]:
    rows, seen = [], set()
    for category, grade in categories:
        if category not in PriorityCategory.values:
            raise ApplicationError(_("优抚类别“%(value)s”无效。") % {"value": category}, field="priority_care")
        if category in seen:
            continue
        seen.add(category)
        if category == PriorityCategory.DISABLED:
            if grade is None or not 1 <= int(grade) <= 10:
                raise ApplicationError(_("残疾军人必须填写1至10级的残疾等级。"), field="disability_grade")
            grade = int(grade)
        else:
            grade = None
        rows.append(PriorityCare(category=category, disability_grade=grade))
    return rows


def _categories_text(rows: Iterable[PriorityCare]) -> str:
    return "、".join(sorted(str(row) for row in rows))


def validate_source_soldier(person: Veteran, soldier: SourceSoldier, *, today: datetime.date) -> None:
    """One soldier's rules, in memory (shared with the ledger import): his status follows the
    person's kind (filled in when left out); only the dead have a date and place of death, only
    a martyr a certificate."""
    expected = KIND_SOLDIER_STATUS.get(person.person_kind)
    if not soldier.status and expected:
        soldier.status = expected
    if expected and soldier.status != expected:
        raise ApplicationError(
            _("%(kind)s的来源军人状态应为“%(status)s”。")
            % {"kind": person.get_person_kind_display(), "status": SoldierStatus(expected).label},
            field="soldier_status",
        )
    if soldier.status == SoldierStatus.SERVING and (soldier.death_date or soldier.death_place):
        raise ApplicationError(_("现役军人不填写牺牲/病故日期和地点。"), field="soldier_death_date")
    if soldier.status != SoldierStatus.MARTYR and soldier.certificate_number:
        raise ApplicationError(_("烈士证书编号只适用于烈士。"), field="soldier_certificate_number")
    if soldier.death_date and soldier.death_date > today:
        raise ApplicationError(_("牺牲/病故日期不能晚于今天。"), field="soldier_death_date")
    try:
        full_clean_or_raise(soldier, exclude=["person", "soldier_file"], validate_unique=False)
    except ApplicationError as error:  # named as the soldier's, not the person's, field
        raise ApplicationError(
            _("来源军人：%(problem)s") % {"problem": error.message},
            field=_soldier_field(error.field),
        ) from error


def _build_soldier(person: Veteran, values: dict, acting_user, *, today: datetime.date) -> SourceSoldier:
    """The soldier row as `values` (over what the file already holds) would make it, checked."""
    if person.person_kind == PersonKind.VETERAN:
        _check_soldier_needed(person, SourceSoldier())
    unknown = set(values) - set(SOLDIER_FIELDS)
    if unknown:
        raise ApplicationError(
            _("来源军人的未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}, field="soldier"
        )
    existing = SourceSoldier.objects.filter(person_id=person.pk).first() if person.pk else None
    soldier = existing or SourceSoldier()
    for field, value in values.items():
        setattr(soldier, field, "" if value is None and field not in ("death_date", "soldier_file") else value)
    validate_source_soldier(person, soldier, today=today)
    if soldier.soldier_file is not None:
        if person.pk and soldier.soldier_file.pk == person.pk:
            raise ApplicationError(_("军人本人档案不能是该服务对象自己的档案。"), field="soldier_file")
        if not in_scope(acting_user, soldier.soldier_file):
            raise ApplicationError(_("所选军人本人档案不在您的管辖范围内。"), field="soldier_file")
    return soldier


def _soldier_field(name: str | None) -> str:
    """The name the person's form gives the soldier's field (apart from the person's own)."""
    if not name:
        return "soldier"
    return name if name.startswith("soldier_") else f"soldier_{name}"


def _check_soldier_needed(person: Veteran, soldier: SourceSoldier | None) -> None:
    if person.person_kind in KINDS_NEEDING_SOLDIER and soldier is None:
        raise ApplicationError(
            _("%(kind)s的档案必须填写其来源军人（军人姓名、与军人关系等），未保存。")
            % {"kind": person.get_person_kind_display()},
            field="soldier",
        )
    if person.person_kind == PersonKind.VETERAN and soldier is not None:
        raise ApplicationError(_("退役军人的档案不填写来源军人；如为遗属或军属，请修改人员类别。"), field="soldier")


@transaction.atomic
def veteran_create(
    *,
    grid: Grid,
    acting_user,
    categories: Iterable[tuple[str, int | None]] = (),
    kind: str = ChangeKind.CREATE,
    soldier: dict | None = None,
    **fields,
) -> Veteran:
    """File one person. A survivor's or family member's file needs `soldier` (SOLDIER_FIELDS:
    the soldier it derives from); a veteran's file takes none."""
    _require_scope(acting_user, grid, _("所选网格不在您的管辖范围内。"))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    veteran = Veteran(**fields)
    note_month_only_dates(veteran, fields)
    veteran.place_in_grid(grid)
    validate_veteran(veteran)
    soldier_row = _build_soldier(veteran, soldier, acting_user, today=_today()) if soldier else None
    _check_soldier_needed(veteran, soldier_row)
    check_unique_id_number(veteran.id_number, acting_user=acting_user, channel=kind)
    care_rows = _validate_categories(categories_with_kind(veteran.person_kind, categories))
    derive_fields(veteran, family_count=0)
    veteran.save()
    for row in care_rows:
        row.veteran = veteran
    PriorityCare.objects.bulk_create(care_rows)
    _history(veteran, kind, acting_user, new=veteran.name).save()
    if soldier_row is not None:
        soldier_row.person = veteran
        soldier_row.save()
        _history(veteran, kind, acting_user, field="source_soldier", new=source_soldier_text(soldier_row)).save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=veteran)
    refresh_visit_schedule(Veteran.objects.filter(pk=veteran.pk))
    files_changed([veteran.pk])
    return veteran


def _locked(veteran: Veteran) -> Veteran:
    return Veteran.objects.select_for_update().get(pk=veteran.pk)


def _refresh_completeness(veteran: Veteran) -> None:
    family_count = veteran.family.count()
    score = completeness_score(veteran, family_count=family_count)
    if score != veteran.completeness:
        veteran.completeness = score
        Veteran.objects.filter(pk=veteran.pk).update(completeness=score)


# `soldier` left out of a veteran_update: the soldier stays as he is.
KEEP = object()


@transaction.atomic
def veteran_update(*, veteran: Veteran, acting_user, reason: str = "", soldier=KEEP, **changes) -> Veteran:
    """Change any editable fields; each changed field becomes one history row.

    `soldier`: a dict of SOLDIER_FIELDS changes the soldier the file derives from (or adds
    him), None removes him; the file's kind decides whether it must, or must not, have one."""
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = _locked(veteran)
    if current.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能修改。"))
    before = {field: getattr(current, field) for field in EDITABLE_FIELDS}
    before_months = current.month_only_dates
    for field, value in changes.items():
        setattr(current, field, value)
    note_month_only_dates(current, changes)
    validate_veteran(current)
    old_soldier = SourceSoldier.objects.filter(person=current).first()
    old_soldier_text = source_soldier_text(old_soldier)
    if soldier is KEEP:
        new_soldier = old_soldier
        if new_soldier is not None and current.person_kind != before["person_kind"]:
            new_soldier = _build_soldier(current, {}, acting_user, today=_today())  # his status must still fit
    elif soldier is None:
        new_soldier = None
    else:
        new_soldier = _build_soldier(current, soldier, acting_user, today=_today())
    _check_soldier_needed(current, new_soldier)
    new_soldier_text = source_soldier_text(new_soldier)
    if current.id_number != before["id_number"]:
        check_unique_id_number(current.id_number, acting_user=acting_user, exclude_pk=current.pk, channel="update")
    changed = [field for field in EDITABLE_FIELDS if getattr(current, field) != before[field]]
    changed += [
        field  # the same 1st, now meaning the month (or the other way round)
        for field in MONTH_DATE_FIELDS
        if field not in changed
        and (field in before_months.split(",")) != (field in current.month_only_dates.split(","))
    ]
    soldier_changed = new_soldier_text != old_soldier_text
    if not changed and not soldier_changed:
        return current
    if soldier_changed:
        if new_soldier is None:
            old_soldier.delete()
        else:
            new_soldier.person = current
            new_soldier.save()
        _history(
            current,
            ChangeKind.UPDATE,
            acting_user,
            field="source_soldier",
            old=old_soldier_text,
            new=new_soldier_text,
            reason=reason,
        ).save()
    if not changed:
        audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"fields": ["source_soldier"]})
        return current
    derive_fields(current, family_count=current.family.count())
    current.save()
    VeteranChange.objects.bulk_create(
        _history(
            current,
            ChangeKind.UPDATE,
            acting_user,
            field=field,
            old=_history_value(field, _as_shown(before[field], field, before_months)),
            new=_history_value(
                field, current.shown_date(field) if field in MONTH_DATE_FIELDS else getattr(current, field)
            ),
            reason=reason,
        )
        for field in changed
    )
    if "person_kind" in changed:
        _add_kind_category(current, acting_user, reason=reason)
    fields_changed = [*changed, "source_soldier"] if soldier_changed else changed
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"fields": fields_changed})
    if SCHEDULE_FIELDS.intersection(changed):
        refresh_visit_schedule(Veteran.objects.filter(pk=current.pk))
    if WATCHED_FIELDS.intersection(changed):
        files_changed([current.pk])
    return current


def _add_kind_category(current: Veteran, acting_user, *, reason: str) -> None:
    """A file whose kind became a survivor's gets that kind's category (KIND_CATEGORY)."""
    old_rows = list(current.priority_care.all())
    wanted = categories_with_kind(current.person_kind, [(row.category, row.disability_grade) for row in old_rows])
    if len(wanted) == len(old_rows):
        return
    category, _grade = wanted[-1]
    PriorityCare.objects.create(veteran=current, category=category)
    _history(
        current,
        ChangeKind.UPDATE,
        acting_user,
        field="priority_care",
        old=_categories_text(old_rows),
        new=_categories_text([*old_rows, PriorityCare(category=category)]),
        reason=reason,
    ).save()
    refresh_visit_schedule(Veteran.objects.filter(pk=current.pk))  # categories set the visit interval


@transaction.atomic
def veteran_set_priority_care(
    *, veteran: Veteran, categories: Iterable[tuple[str, int | None]], acting_user
) -> Veteran:
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    current = _locked(veteran)
    rows = _validate_categories(categories_with_kind(current.person_kind, categories))
    old_text = _categories_text(current.priority_care.all())
    new_text = _categories_text(rows)
    if old_text == new_text:
        return current
    current.priority_care.all().delete()
    for row in rows:
        row.veteran = current
    PriorityCare.objects.bulk_create(rows)
    _history(current, ChangeKind.UPDATE, acting_user, field="priority_care", old=old_text, new=new_text).save()
    refresh_visit_schedule(Veteran.objects.filter(pk=current.pk))
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"fields": ["priority_care"]})
    return current


@transaction.atomic
def veteran_move_grid(*, veteran: Veteran, grid: Grid, acting_user, reason: str = "") -> Veteran:
    """A move is a recorded event; the area keys follow the grid."""
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    _require_scope(acting_user, grid, _("目标网格不在您的管辖范围内。"))
    current = _locked(veteran)
    if current.grid_id == grid.pk:
        raise ApplicationError(_("该退役军人已在%(grid)s。") % {"grid": grid.name}, field="grid")
    old_grid = current.grid
    current.place_in_grid(grid)
    current.save(update_fields=["grid", "community", "street", "district", "updated_at"])
    _history(
        current, ChangeKind.MOVE, acting_user, field="grid", old=str(old_grid), new=str(grid), reason=reason
    ).save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=current,
        detail={"move": [old_grid.pk, grid.pk], "reason": reason},
    )
    return current


@transaction.atomic
def veteran_remove(*, veteran: Veteran, reason: str, acting_user) -> Veteran:
    """Nothing is deleted: the record is marked removed, with a reason."""
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    if not reason.strip():
        raise ApplicationError(_("注销档案必须填写原因。"), field="reason")
    current = _locked(veteran)
    if current.removed_at is not None:
        raise ApplicationError(_("该档案已注销。"))
    current.removed_at = timezone.now()
    current.removed_reason = reason.strip()[:200]
    current.save(update_fields=["removed_at", "removed_reason", "updated_at"])
    _history(current, ChangeKind.REMOVE, acting_user, reason=reason).save()
    audit_record(action=AuditAction.DELETE, actor=acting_user, obj=current, detail={"reason": reason})
    return current


@transaction.atomic
def veteran_restore(*, veteran: Veteran, acting_user, reason: str = "") -> Veteran:
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    current = _locked(veteran)
    if current.removed_at is None:
        raise ApplicationError(_("该档案未注销。"))
    check_unique_id_number(current.id_number, acting_user=acting_user, exclude_pk=current.pk, channel="restore")
    current.removed_at = None
    current.removed_reason = ""
    current.save(update_fields=["removed_at", "removed_reason", "updated_at"])
    _history(current, ChangeKind.RESTORE, acting_user, reason=reason).save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"restore": True})
    return current


def veteran_mark_plaque_hung(*, veteran: Veteran, hung_on: datetime.date, acting_user) -> Veteran:
    return veteran_update(veteran=veteran, acting_user=acting_user, glory_plaque_hung_on=hung_on)


def _family_text(member: FamilyMember | None) -> str:
    if member is None:
        return ""
    flag = _("，军属") if member.is_military_family else ""
    return f"{member.name}（{member.get_relation_display()}{flag}）"


def _honour_text(honour: Honour | None) -> str:
    if honour is None:
        return ""
    year = f" {honour.awarded_year}" if honour.awarded_year else ""
    title = f" {honour.title}" if honour.title else ""
    return f"{honour.get_kind_display()}{title}{year}"


def _part_kind(model) -> tuple:
    """What differs between the rows a record holds (family members, honours): the history's
    field, how a row reads there, the refusal of another record's row, whether it counts
    toward the record's completeness."""
    if model is FamilyMember:
        return "family", _family_text, _("家庭成员不属于该档案。"), True
    return "honours", _honour_text, _("该奖项不属于该档案。"), False


def _part_save(model, *, veteran: Veteran, part, acting_user, fields: dict):
    """Add (`part` None) or change one row of a record, with the record locked; one history row
    when what the row says has changed."""
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    history_field, describe, not_ours, counts = _part_kind(model)
    current = _locked(veteran)
    if part is not None and part.veteran_id != current.pk:
        raise ApplicationError(not_ours)
    old_text = describe(model.objects.filter(pk=part.pk).first() if part else None)
    part = part or model(veteran=current)
    for field, value in fields.items():
        setattr(part, field, value)
    full_clean_or_raise(part, exclude=["veteran"])
    part.save()
    new_text = describe(part)
    if old_text != new_text:
        _history(current, ChangeKind.UPDATE, acting_user, field=history_field, old=old_text, new=new_text).save()
    if counts:
        _refresh_completeness(current)
    return part


def _part_delete(part, *, acting_user) -> None:
    require_actor(acting_user)  # before reading the row's record
    history_field, describe, _not_ours, counts = _part_kind(type(part))
    _require_scope(acting_user, part.veteran, _("该档案不在您的管辖范围内。"))
    current = _locked(part.veteran)
    _history(current, ChangeKind.UPDATE, acting_user, field=history_field, old=describe(part)).save()
    part.delete()
    if counts:
        _refresh_completeness(current)


@transaction.atomic
def family_member_save(*, veteran: Veteran, member: FamilyMember | None = None, acting_user, **fields) -> FamilyMember:
    if isinstance(fields.get("phone"), str):
        fields["phone"] = plain_phone(fields["phone"])
    return _part_save(FamilyMember, veteran=veteran, part=member, acting_user=acting_user, fields=fields)


@transaction.atomic
def family_member_delete(*, member: FamilyMember, acting_user) -> None:
    _part_delete(member, acting_user=acting_user)


@transaction.atomic
def honour_save(*, veteran: Veteran, honour: Honour | None = None, acting_user, **fields) -> Honour:
    return _part_save(Honour, veteran=veteran, part=honour, acting_user=acting_user, fields=fields)


@transaction.atomic
def honour_delete(*, honour: Honour, acting_user) -> None:
    _part_delete(honour, acting_user=acting_user)


@transaction.atomic
def veteran_reveal_identity(*, veteran: Veteran, acting_user, request=None) -> dict[str, str]:
    """The whole ID and phone number, for those allowed; every reveal is audited."""
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    if not acting_user.has_perm("veterans.reveal_identity"):
        raise ApplicationError(_("您没有查看完整身份信息的权限。"), code="forbidden")
    audit_record(action=AuditAction.VIEW_SENSITIVE, actor=acting_user, request=request, obj=veteran)
    return {"id_number": veteran.id_number, "phone": veteran.phone}


@transaction.atomic
def veteran_set_photo(*, veteran: Veteran, upload, acting_user) -> Veteran:
    """The person's photo for the file and its printed card: judged by content and re-encoded
    without location data (core.uploads.images); the history says it changed, not the picture."""
    _require_scope(acting_user, veteran, _("该档案不在您的管辖范围内。"))
    current = _locked(veteran)
    if current.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能修改。"))
    picture = clean_image(upload, field="photo_upload")
    had_photo = bool(current.photo)
    current.photo.save(f"{current.pk}.jpg", picture, save=False)
    Veteran.objects.filter(pk=current.pk).update(photo=current.photo.name)
    _history(
        current,
        ChangeKind.UPDATE,
        acting_user,
        field="photo",
        old=_("有") if had_photo else "",
        new=_("已更新"),
    ).save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=current, detail={"fields": ["photo"]})
    return current
