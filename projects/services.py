"""The one write path of service projects (1555): catalogue items, needs, proposal, review,
delivery and evaluation. Each step checks permission and scope, refuses what the project's status
does not allow (naming the status) and impossible dates, and writes its audit row in the same
transaction. People outside the actor's area are refused without a word about them."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.models import Grid
from grids.scoping import in_scope, require_actor
from projects.models import (
    NeedSource,
    ProjectStatus,
    ServiceDelivery,
    ServiceEvaluation,
    ServiceItem,
    ServiceNeed,
    ServiceProject,
)
from veterans.models import LifeStatus, Veteran
from visits.models import Visit

# Each level's key, from the grid up: the smallest area holding every person keeps the keys
# down to the first level where they differ.
AREA_KEYS = ("district_id", "street_id", "community_id", "grid_id")


def _out_of_scope(field: str) -> ApplicationError:
    """Said alike of a person who is elsewhere and one who does not exist: nothing is revealed."""
    return ApplicationError(_("所选人员不在您的管辖范围内。"), code="out_of_scope", field=field)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApplicationError(_("您没有办理服务项目此环节的权限。"), code="forbidden")


def _require_status(project: ServiceProject, allowed: tuple[str, ...]) -> None:
    if project.status not in allowed:
        raise ApplicationError(
            _("服务项目当前状态为“%(status)s”，不能进行此操作。") % {"status": project.get_status_display()},
            field="status",
        )


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(_("%(label)s不能晚于今天。") % {"label": label}, field=field)


def _not_before(day: datetime.date, earlier: datetime.date, field: str, message: str) -> None:
    if earlier is not None and day < earlier:
        raise ApplicationError(message, field=field)


def _written(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, field=field)
    return value.strip()


def _living_in_scope(user, person: Veteran) -> None:
    if not in_scope(user, person):
        raise _out_of_scope("person")
    if person.removed_at is not None or person.life_status != LifeStatus.ALIVE:
        raise ApplicationError(
            _("%(name)s的档案状态为“%(status)s”，不能登记服务。")
            % {"name": person.name, "status": _("已注销") if person.removed_at else person.get_life_status_display()},
            field="person",
        )


def _lock(project: ServiceProject, *, acting_user, permission: str, allowed: tuple[str, ...]) -> ServiceProject:
    """The guards every step on a project starts with: actor, permission, scope, then the
    project locked and read again in a status that allows the step."""
    require_actor(acting_user)
    _require(acting_user, permission)
    if not in_scope(acting_user, project):
        raise ApplicationError(_("该服务项目不在您的管辖范围内。"), code="out_of_scope")
    locked = ServiceProject.objects.select_for_update().get(pk=project.pk)
    _require_status(locked, allowed)
    return locked


@transaction.atomic
def item_save(*, item: ServiceItem, acting_user) -> ServiceItem:
    """Add or change a catalogue item (policy data, shared by every area)."""
    require_actor(acting_user)
    creating = item.pk is None
    _require(acting_user, "projects.add_serviceitem" if creating else "projects.change_serviceitem")
    item.name = _written(item.name, "name", _("请填写服务事项名称。"))
    full_clean_or_raise(item)
    item.save()
    audit_record(action=AuditAction.CREATE if creating else AuditAction.UPDATE, actor=acting_user, obj=item)
    return item


@transaction.atomic
def need_record(
    *,
    person: Veteran,
    description: str,
    source: str,
    recorded_on: datetime.date,
    acting_user,
    item: ServiceItem | None = None,
    visit: Visit | None = None,
    appeal: Appeal | None = None,
) -> ServiceNeed:
    """A need found on a visit, brought by an appeal or told at the station."""
    require_actor(acting_user)
    _require(acting_user, "projects.add_serviceneed")
    _living_in_scope(acting_user, person)
    description = _written(description, "description", _("请填写需求内容。"))
    if source not in NeedSource.values:
        raise ApplicationError(_("请选择需求来源。"), field="source")
    _not_future(recorded_on, "recorded_on", _("登记日期"))
    _not_before(recorded_on, person.birth_date, "recorded_on", _("登记日期不能早于出生日期。"))
    if item is not None and not item.active:
        raise ApplicationError(_("服务事项“%(name)s”已停用。") % {"name": item.name}, field="item")
    if visit is not None and visit.veteran_id != person.pk:
        raise ApplicationError(_("来源走访不是对该服务对象的走访。"), field="visit")
    if appeal is not None and appeal.veteran_id != person.pk:
        raise ApplicationError(_("来源诉求不是该服务对象的诉求。"), field="appeal")
    if (source == NeedSource.VISIT and appeal is not None) or (source == NeedSource.APPEAL and visit is not None):
        raise ApplicationError(_("需求来源与所附记录不一致。"), field="source")
    need = ServiceNeed(
        person=person,
        item=item,
        description=description[:300],
        source=source,
        visit=visit if source == NeedSource.VISIT else None,
        appeal=appeal if source == NeedSource.APPEAL else None,
        recorded_on=recorded_on,
        recorded_by=acting_user,
    )
    need.place_in_grid(person.grid)
    full_clean_or_raise(need, exclude=["district", "street", "community", "grid"])
    need.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=need)
    return need


def _smallest_area(grid_ids: set[int]) -> dict:
    """The area keys of the smallest area holding every grid (lower levels left empty)."""
    rows = list(Grid.objects.filter(pk__in=grid_ids).values_list("district_id", "street_id", "community_id", "pk"))
    keys = {}
    for index, key in enumerate(AREA_KEYS):
        values = {row[index] for row in rows}
        if len(values) != 1:
            break
        keys[key] = values.pop()
    keys = {key: keys.get(key) for key in AREA_KEYS}
    if keys["district_id"] is None:
        raise ApplicationError(_("一个服务项目的服务对象须在同一区县。"), field="people")
    return keys


@transaction.atomic
def project_propose(
    *,
    title: str,
    proposed_on: datetime.date,
    acting_user,
    people: list[Veteran] = (),
    needs: list[ServiceNeed] = (),
    item: ServiceItem | None = None,
    description: str = "",
) -> ServiceProject:
    """Propose a project for needs and/or people (each need's person is served). A need already
    held by a live project (not refused) cannot be proposed twice."""
    require_actor(acting_user)
    _require(acting_user, "projects.add_serviceproject")
    title = _written(title, "title", _("请填写项目名称。"))
    _not_future(proposed_on, "proposed_on", _("立项日期"))
    needs = list(ServiceNeed.objects.select_related("person", "project").filter(pk__in=[n.pk for n in needs]))
    served = {person.pk: person for person in people}
    for need in needs:
        if not in_scope(acting_user, need):
            raise _out_of_scope("needs")
        if need.project is not None and need.project.status != ProjectStatus.REJECTED:
            raise ApplicationError(
                _("需求“%(need)s”已列入服务项目“%(project)s”。")
                % {"need": need.description[:20], "project": need.project.title},
                field="needs",
            )
        _not_before(proposed_on, need.recorded_on, "proposed_on", _("立项日期不能早于需求登记日期。"))
        served.setdefault(need.person_id, need.person)
    if not served:
        raise ApplicationError(_("请至少选择一项需求或一名服务对象。"), field="people")
    for person in served.values():
        _living_in_scope(acting_user, person)
    if item is not None and not item.active:
        raise ApplicationError(_("服务事项“%(name)s”已停用。") % {"name": item.name}, field="item")
    project = ServiceProject(
        title=title[:100],
        item=item,
        description=(description or "").strip(),
        proposer=acting_user,
        proposed_on=proposed_on,
        **_smallest_area({person.grid_id for person in served.values()}),
    )
    full_clean_or_raise(project, exclude=["district", "street", "community", "grid"])
    project.save()
    project.people.set(served.values())
    ServiceNeed.objects.filter(pk__in=[need.pk for need in needs]).update(project=project)
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=project,
        detail={"people": sorted(served), "needs": len(needs)},
    )
    return project


@transaction.atomic
def project_review(
    *, project: ServiceProject, approve: bool, reviewed_on: datetime.date, acting_user, note: str = ""
) -> ServiceProject:
    """The station or the bureau approves or refuses a proposal; never the one who proposed it."""
    project = _lock(
        project,
        acting_user=acting_user,
        permission="projects.review_serviceproject",
        allowed=(ProjectStatus.PROPOSED,),
    )
    if project.proposer_id == getattr(acting_user, "pk", None):
        raise ApplicationError(_("不能审核自己提出的服务项目。"), field="reviewer")
    _not_future(reviewed_on, "reviewed_on", _("审核日期"))
    _not_before(reviewed_on, project.proposed_on, "reviewed_on", _("审核日期不能早于立项日期。"))
    note = (note or "").strip()
    if not approve and not note:
        raise ApplicationError(_("不予批准时请填写审核意见。"), field="note")
    project.status = ProjectStatus.APPROVED if approve else ProjectStatus.REJECTED
    project.reviewer = acting_user if getattr(acting_user, "pk", None) else None
    project.reviewed_on, project.review_note = reviewed_on, note[:300]
    project.save(update_fields=["status", "reviewer", "reviewed_on", "review_note"])
    audit_record(
        action=AuditAction.APPROVE, actor=acting_user, obj=project, detail={"status": project.status, "note": note}
    )
    return project


def _money(cost) -> Decimal:
    try:
        cost = Decimal(str(cost))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("请填写服务费用（元）。"), field="cost") from None
    if not cost.is_finite() or cost < 0:
        raise ApplicationError(_("服务费用不能为负数。"), field="cost")
    if cost != cost.quantize(Decimal("0.01")) or cost >= Decimal("1e12"):
        raise ApplicationError(_("服务费用最多两位小数、不超过十二位整数。"), field="cost")
    return cost


@transaction.atomic
def project_deliver(
    *, project: ServiceProject, delivered_on: datetime.date, delivered_by: str, cost, acting_user
) -> ServiceProject:
    """Record delivery to every person of the project (who, when, for whom, what it cost). The
    cost is recorded, not paid: relief money moves only through the assistance cases."""
    project = _lock(
        project,
        acting_user=acting_user,
        permission="projects.deliver_serviceproject",
        allowed=(ProjectStatus.APPROVED,),
    )
    delivered_by = _written(delivered_by, "delivered_by", _("请填写服务提供者。"))
    cost = _money(cost)
    _not_future(delivered_on, "delivered_on", _("交付日期"))
    _not_before(delivered_on, project.reviewed_on, "delivered_on", _("交付日期不能早于批准日期。"))
    first_need = {}
    for person_id, recorded_on in project.needs.values_list("person_id", "recorded_on"):
        first_need[person_id] = min(recorded_on, first_need.get(person_id, recorded_on))
    deliveries = []
    for person in project.people.select_related("grid"):
        started = first_need.get(person.pk, project.reviewed_on)
        delivery = ServiceDelivery(
            project=project, person=person, delivered_on=delivered_on, days_taken=(delivered_on - started).days
        )
        delivery.place_in_grid(person.grid)
        deliveries.append(delivery)
    ServiceDelivery.objects.bulk_create(deliveries)
    project.status, project.delivered_on = ProjectStatus.DELIVERED, delivered_on
    project.delivered_by, project.cost = delivered_by[:100], cost
    project.save(update_fields=["status", "delivered_on", "delivered_by", "cost"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=project,
        detail={"status": project.status, "cost": str(cost), "people": len(deliveries)},
    )
    return project


def _satisfaction(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ApplicationError(_("满意度须为1至5分。"), field="satisfaction")
    return value


@transaction.atomic
def evaluation_record(
    *, delivery: ServiceDelivery, satisfaction, evaluated_on: datetime.date, acting_user, comment: str = ""
) -> ServiceEvaluation:
    """The served person's rating. When everyone served has rated, the project is evaluated."""
    require_actor(acting_user)
    _require(acting_user, "projects.add_serviceevaluation")
    if not in_scope(acting_user, delivery):
        raise _out_of_scope("delivery")
    project = ServiceProject.objects.select_for_update().get(pk=delivery.project_id)
    _require_status(project, (ProjectStatus.DELIVERED,))
    if ServiceEvaluation.objects.filter(delivery=delivery).exists():
        raise ApplicationError(_("该服务对象已评价过此项目。"), field="delivery")
    satisfaction = _satisfaction(satisfaction)
    _not_future(evaluated_on, "evaluated_on", _("评价日期"))
    _not_before(evaluated_on, delivery.delivered_on, "evaluated_on", _("评价日期不能早于交付日期。"))
    evaluation = ServiceEvaluation(
        delivery=delivery,
        person_id=delivery.person_id,
        satisfaction=satisfaction,
        comment=(comment or "").strip()[:300],
        evaluated_on=evaluated_on,
        recorded_by=acting_user,
    )
    for key in AREA_KEYS:
        setattr(evaluation, key, getattr(delivery, key))
    full_clean_or_raise(evaluation, exclude=["district", "street", "community", "grid", "delivery"])
    evaluation.save()
    if not project.deliveries.filter(evaluation__isnull=True).exists():
        project.status = ProjectStatus.EVALUATED
        project.save(update_fields=["status"])
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=evaluation, detail={"satisfaction": satisfaction})
    return evaluation
