"""The one write path of party organisations, memberships, follow-ups and organisation life.

Every write checks the actor, the permission and the scope, refuses impossible dates with a
message that says which date and why, and writes its audit row. The relation itself is changed
only through veterans.services.veteran_update, so that the file's change history shows it."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.scoping import in_scope, require_actor, scope_queryset
from party.models import (
    Attendance,
    AttendanceStatus,
    FollowUp,
    FollowUpStatus,
    FollowUpStep,
    Membership,
    OrganisationLife,
    PartyOrganisation,
    StepKind,
)
from veterans.models import LifeStatus, PartyRelation, Veteran
from veterans.services import veteran_update

OUTSIDE_RELATIONS = (PartyRelation.POCKET, PartyRelation.MOBILE)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理此项党建工作的权限。"), code="forbidden")


def _require_scope(user, obj, message: str) -> None:
    if not in_scope(user, obj):
        raise ApplicationError(message, code="out_of_scope")


def _begin(user, permission: str, obj, message: str) -> None:
    require_actor(user)
    _require(user, permission)
    _require_scope(user, obj, message)


def _past_day(day: datetime.date | None, field: str, label: str) -> datetime.date:
    """A date that must be given and not lie in the future."""
    if day is None:
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=field)
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)
    return day


def _not_before(day: datetime.date, earliest: datetime.date, field: str, label: str, what: str) -> None:
    if day < earliest:
        raise ApplicationError(
            _("%(label)s（%(day)s）不能早于%(what)s（%(earliest)s）。")
            % {"label": label, "day": day.isoformat(), "what": what, "earliest": earliest.isoformat()},
            field=field,
        )


def _live_member(person: Veteran) -> None:
    """A party member whose file is open and who is alive: only they can be followed up."""
    if person.removed_at is not None or person.life_status != LifeStatus.ALIVE:
        raise ApplicationError(_("%(name)s的档案已注销或已不在世。") % {"name": person.name}, field="person")
    if not person.is_party_member:
        raise ApplicationError(_("%(name)s不是中共党员。") % {"name": person.name}, field="person")


# Organisations ---------------------------------------------------------------------------------


def _place(organisation: PartyOrganisation) -> None:
    """Fill the area keys above the deepest one given (a grid gives its community, street and
    district); a district is always needed."""
    for level in ("grid", "community", "street"):
        area = getattr(organisation, level)
        if area is not None:
            organisation.district_id = area.district_id
            if level in ("grid", "community"):
                organisation.street_id = area.street_id
            if level == "grid":
                organisation.community_id = area.community_id
            return
    if organisation.district_id is None:
        raise ApplicationError(_("请选择党组织所属的区域。"), field="district")


@transaction.atomic
def organisation_save(*, organisation: PartyOrganisation, acting_user) -> PartyOrganisation:
    """Create or change an organisation of an area in the user's scope."""
    require_actor(acting_user)
    creating = organisation.pk is None
    _require(acting_user, "party.add_partyorganisation" if creating else "party.change_partyorganisation")
    if not creating:
        _require_scope(
            acting_user,
            PartyOrganisation.objects.get(pk=organisation.pk),
            _("该党组织不在您的管辖范围内。"),
        )
    _place(organisation)
    if not in_scope(acting_user, organisation.area):
        raise ApplicationError(_("所选区域不在您的管辖范围内。"), field="district")
    parent = organisation.parent
    if parent is not None:
        if organisation.pk is not None and parent.pk == organisation.pk:
            raise ApplicationError(_("上级组织不能是本组织。"), field="parent")
        if parent.district_id != organisation.district_id:
            raise ApplicationError(_("上级组织须在同一区/县。"), field="parent")
    organisation.name = organisation.name.strip()
    organisation.employer = organisation.employer.strip()
    full_clean_or_raise(organisation)
    organisation.save()
    action = AuditAction.CREATE if creating else AuditAction.UPDATE
    audit_record(action=action, actor=acting_user, obj=organisation)
    return organisation


# Memberships -----------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, person: Veteran, organisation: PartyOrganisation, joined_on: datetime.date, acting_user
) -> Membership:
    """Put a member under an organisation of their district. One at a time: a member who is
    still under another must leave it first (membership_end)."""
    _begin(acting_user, "party.add_membership", person, _("该党员不在您的管辖范围内。"))
    person = Veteran.objects.select_for_update().get(pk=person.pk)
    _live_member(person)
    if not organisation.active:
        raise ApplicationError(_("党组织“%(name)s”已撤销。") % {"name": organisation.name}, field="organisation")
    if organisation.district_id != person.district_id:
        raise ApplicationError(_("只能转入党员所在区/县的党组织。"), field="organisation")
    if not in_scope(acting_user, organisation):
        raise ApplicationError(_("所选党组织不在您的管辖范围内。"), field="organisation")
    _past_day(joined_on, "joined_on", _("转入日期"))
    _not_before(joined_on, person.birth_date, "joined_on", _("转入日期"), _("出生日期"))
    current = Membership.objects.filter(person=person, left_on__isnull=True).select_related("organisation").first()
    if current is not None:
        raise ApplicationError(
            _("%(name)s目前隶属“%(organisation)s”，请先办理转出。")
            % {"name": person.name, "organisation": current.organisation.name},
            field="organisation",
        )
    membership = Membership(person=person, organisation=organisation, joined_on=joined_on)
    full_clean_or_raise(membership, validate_constraints=False)
    membership.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=membership)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, left_on: datetime.date, acting_user) -> Membership:
    """The member leaves the organisation (moved, transferred out)."""
    _begin(acting_user, "party.change_membership", membership, _("该党员不在您的管辖范围内。"))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ApplicationError(_("该隶属关系已于%(day)s结束。") % {"day": membership.left_on.isoformat()})
    _past_day(left_on, "left_on", _("转出日期"))
    _not_before(left_on, membership.joined_on, "left_on", _("转出日期"), _("转入日期"))
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=membership, detail={"left_on": str(left_on)})
    return membership


# Follow-ups ------------------------------------------------------------------------------------


def _check_assignee(assigned_to, follow_up_person: Veteran, acting_user) -> None:
    """A worker with a staff profile whose own scope covers the member, named by someone whose
    scope covers the worker (no one from another area, whatever id is sent)."""
    if assigned_to is None:
        return
    if (
        not assigned_to.is_active
        or not hasattr(assigned_to, "staff_profile")
        or not in_scope(assigned_to, follow_up_person)
        or not (acting_user == assigned_to or in_scope(acting_user, assigned_to))
    ):
        raise ApplicationError(_("责任人须是负责该党员所在区域的工作人员。"), field="assigned_to")


@transaction.atomic
def followup_open(
    *, person: Veteran, acting_user, opened_on: datetime.date | None = None, assigned_to=None
) -> FollowUp:
    """Start following up one pocket or mobile member (one open follow-up per person)."""
    _begin(acting_user, "party.add_followup", person, _("该党员不在您的管辖范围内。"))
    person = Veteran.objects.select_for_update().get(pk=person.pk)
    _live_member(person)
    if person.party_relation not in OUTSIDE_RELATIONS:
        raise ApplicationError(
            _("%(name)s的组织关系为“%(relation)s”，只有口袋党员和流动党员需要跟进。")
            % {"name": person.name, "relation": person.get_party_relation_display() or _("未填写")},
            field="person",
        )
    if FollowUp.objects.filter(person=person, status=FollowUpStatus.OPEN).exists():
        raise ApplicationError(_("%(name)s已有进行中的跟进。") % {"name": person.name}, field="person")
    opened_on = _past_day(opened_on or timezone.localdate(), "opened_on", _("开始日期"))
    _check_assignee(assigned_to, person, acting_user)
    follow_up = FollowUp(
        person=person, relation_at_opening=person.party_relation, opened_on=opened_on, assigned_to=assigned_to
    )
    follow_up.place_in_grid(person.grid)
    full_clean_or_raise(follow_up, exclude=["district", "street", "community", "grid"], validate_constraints=False)
    follow_up.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=follow_up)
    return follow_up


def _outside_without_followup_q() -> Q:
    """Pocket and mobile members, alive with an open file, and not yet followed up."""
    return Q(
        is_party_member=True,
        party_relation__in=OUTSIDE_RELATIONS,
        removed_at__isnull=True,
        life_status=LifeStatus.ALIVE,
    ) & ~Q(party_followups__status=FollowUpStatus.OPEN)


@transaction.atomic
def followups_open_missing(*, acting_user, today: datetime.date | None = None) -> int:
    """Open a follow-up for every pocket or mobile member in the actor's scope without one (the
    nightly job, as SYSTEM; also a station's button). Running it twice opens nothing more."""
    require_actor(acting_user)
    _require(acting_user, "party.add_followup")
    today = today or timezone.localdate()
    people = scope_queryset(acting_user, Veteran.objects.filter(_outside_without_followup_q()))
    rows = []
    for person in people.only("pk", "party_relation", "grid_id", "community_id", "street_id", "district_id"):
        follow_up = FollowUp(person_id=person.pk, relation_at_opening=person.party_relation, opened_on=today)
        follow_up.grid_id, follow_up.community_id = person.grid_id, person.community_id
        follow_up.street_id, follow_up.district_id = person.street_id, person.district_id
        rows.append(follow_up)
    if not rows:
        return 0
    try:
        with transaction.atomic():
            FollowUp.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError:
        # Someone opened one of them meanwhile: open the rest one by one, skipping theirs.
        rows = [row for row in rows if not FollowUp.objects.filter(person_id=row.person_id, status="open").exists()]
        FollowUp.objects.bulk_create(rows, batch_size=1000)
    audit_record(action=AuditAction.CREATE, actor=acting_user, detail={"party_followups_opened": len(rows)})
    return len(rows)


def _locked_open(follow_up: FollowUp, acting_user, permission: str) -> FollowUp:
    _begin(acting_user, permission, follow_up, _("该跟进不在您的管辖范围内。"))
    locked = FollowUp.objects.select_for_update(of=("self",)).select_related("person").get(pk=follow_up.pk)
    if not locked.is_open:
        raise ApplicationError(
            _("该跟进已于%(day)s办结，不能再修改。") % {"day": locked.closed_on.isoformat()}, field="status"
        )
    return locked


@transaction.atomic
def followup_assign(*, follow_up: FollowUp, assigned_to, acting_user) -> FollowUp:
    """Name the worker who brings the member in."""
    follow_up = _locked_open(follow_up, acting_user, "party.change_followup")
    if assigned_to is None:
        raise ApplicationError(_("请选择责任人。"), field="assigned_to")
    _check_assignee(assigned_to, follow_up.person, acting_user)
    follow_up.assigned_to = assigned_to
    follow_up.save(update_fields=["assigned_to"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=follow_up, detail={"assigned_to": assigned_to.pk})
    return follow_up


@transaction.atomic
def followup_step_add(*, follow_up: FollowUp, on: datetime.date, kind: str, note: str, acting_user) -> FollowUpStep:
    """One dated step: a contact, papers collected, the relation being transferred."""
    follow_up = _locked_open(follow_up, acting_user, "party.add_followupstep")
    if kind not in StepKind.values:
        raise ApplicationError(_("请选择跟进类型。"), field="kind")
    _past_day(on, "on", _("跟进日期"))
    _not_before(on, follow_up.opened_on, "on", _("跟进日期"), _("开始日期"))
    if not note.strip():
        raise ApplicationError(_("请填写跟进情况。"), field="note")
    step = FollowUpStep(follow_up=follow_up, on=on, kind=kind, note=note.strip()[:500])
    step.recorded_by = acting_user if acting_user.pk else None
    step.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=step)
    return step


@transaction.atomic
def followup_close(*, follow_up: FollowUp, closed_on: datetime.date, acting_user) -> FollowUp:
    """The member is under an organisation: the follow-up closes and the file's relation becomes
    组织关系已转入 (through veterans' service, so the file's history shows it). Refused while the
    member belongs to no organisation."""
    follow_up = _locked_open(follow_up, acting_user, "party.change_followup")
    person = follow_up.person
    membership = Membership.objects.filter(person=person, left_on__isnull=True).select_related("organisation").first()
    if membership is None:
        raise ApplicationError(
            _("%(name)s尚未转入任何党组织，请先登记所在党组织再办结。") % {"name": person.name}, field="organisation"
        )
    _past_day(closed_on, "closed_on", _("纳入日期"))
    _not_before(closed_on, follow_up.opened_on, "closed_on", _("纳入日期"), _("开始日期"))
    _not_before(closed_on, membership.joined_on, "closed_on", _("纳入日期"), _("转入日期"))
    follow_up.status, follow_up.closed_on, follow_up.membership = FollowUpStatus.CLOSED, closed_on, membership
    follow_up.save(update_fields=["status", "closed_on", "membership"])
    if person.party_relation != PartyRelation.IN_PLACE:
        reason = _("纳入党组织“%(organisation)s”管理") % {"organisation": membership.organisation.name}
        veteran_update(veteran=person, party_relation=PartyRelation.IN_PLACE, reason=reason, acting_user=acting_user)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=follow_up, detail={"status": follow_up.status})
    return follow_up


@transaction.atomic
def followup_bring_in(
    *,
    follow_up: FollowUp,
    organisation: PartyOrganisation,
    joined_on: datetime.date,
    closed_on: datetime.date,
    acting_user,
) -> FollowUp:
    """Put the member under `organisation` and close the follow-up, in one step (the desk's)."""
    follow_up = _locked_open(follow_up, acting_user, "party.change_followup")
    membership_add(person=follow_up.person, organisation=organisation, joined_on=joined_on, acting_user=acting_user)
    return followup_close(follow_up=follow_up, closed_on=closed_on, acting_user=acting_user)


# Organisation life -----------------------------------------------------------------------------


def _life_fields(life: OrganisationLife) -> None:
    _past_day(life.held_on, "held_on", _("活动日期"))
    if not life.topic.strip():
        raise ApplicationError(_("请填写主题。"), field="topic")
    life.topic = life.topic.strip()


@transaction.atomic
def life_record(
    *, organisation: PartyOrganisation, kind: str, held_on: datetime.date, topic: str, acting_user
) -> OrganisationLife:
    """A meeting, lecture or training, with an attendance row (absent until marked) for every
    member of the organisation that day: attendance is kept for its members only."""
    _begin(acting_user, "party.add_organisationlife", organisation, _("该党组织不在您的管辖范围内。"))
    if not organisation.active:
        raise ApplicationError(_("党组织“%(name)s”已撤销。") % {"name": organisation.name}, field="organisation")
    life = OrganisationLife(organisation=organisation, kind=kind, held_on=held_on, topic=topic)
    _life_fields(life)
    full_clean_or_raise(life)
    life.save()
    members = Membership.objects.filter(organisation=organisation, joined_on__lte=held_on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=held_on)
    )
    Attendance.objects.bulk_create(
        Attendance(life=life, person_id=person_id) for person_id in members.values_list("person_id", flat=True)
    )
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=life)
    return life


@transaction.atomic
def life_update(
    *, life: OrganisationLife, kind: str, held_on: datetime.date, topic: str, acting_user
) -> OrganisationLife:
    """Correct the kind, date or topic (the organisation and so its members stay)."""
    _begin(acting_user, "party.change_organisationlife", life, _("该组织生活记录不在您的管辖范围内。"))
    life = OrganisationLife.objects.select_for_update().get(pk=life.pk)
    life.kind, life.held_on, life.topic = kind, held_on, topic
    _life_fields(life)
    full_clean_or_raise(life)
    life.save(update_fields=["kind", "held_on", "topic"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=life)
    return life


@transaction.atomic
def attendance_mark(*, life: OrganisationLife, person: Veteran, status: str, acting_user) -> Attendance:
    """Mark one member present, absent or excused; only members of the organisation have a row."""
    _begin(acting_user, "party.change_attendance", life, _("该组织生活记录不在您的管辖范围内。"))
    if status not in AttendanceStatus.values:
        raise ApplicationError(_("请选择出席情况。"), field="status")
    attendance = Attendance.objects.select_for_update().filter(life=life, person=person).first()
    if attendance is not None:
        attendance.person, attendance.life = person, life  # for the audit row's text, without a query
    if attendance is None:
        raise ApplicationError(
            _("%(name)s不是“%(organisation)s”的党员，不能登记参加情况。")
            % {"name": person.name, "organisation": life.organisation.name},
            field="person",
        )
    if attendance.status != status:
        attendance.status = status
        attendance.save(update_fields=["status"])
        audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=attendance, detail={"status": status})
    return attendance
