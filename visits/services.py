"""Writes for visits, must-visit events, campaigns and grid activities."""

import datetime
import uuid
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.workdays import add_working_days
from grids.models import Community, District, Grid, Street
from grids.scoping import in_scope, require_actor, scope_queryset
from veterans.models import LifeStatus, Veteran
from visits import quick_submit
from visits.models import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    MAX_LOCATION_ACCURACY,
    Campaign,
    EventKind,
    GridActivity,
    MustVisitEvent,
    Notification,
    Visit,
    VisitClaim,
    VisitKind,
    VisitPhoto,
)
from visits.photos import MAX_PHOTOS, clean_photo
from visits.schedule import forget_policy_intervals, interval_for, policy_intervals, refresh_one
from visits.seasons import next_festival_window
from visits.selectors import campaign_covers

MAX_VISIT_MONEY = Decimal("100000")
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _require_veteran_scope(acting_user, veteran: Veteran) -> None:
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该退役军人不在您的管辖范围内。"), code="out_of_scope")


def _check_amount(value: Decimal, field: str, label: str) -> Decimal:
    value = Decimal(value or 0)
    if value < 0:
        raise ApplicationError(_("%(label)s不能为负数。") % {"label": label}, field=field)
    if value > MAX_VISIT_MONEY:
        raise ApplicationError(
            _("%(label)s超过单次上限 ¥%(max)s。") % {"label": label, "max": f"{MAX_VISIT_MONEY:,.2f}"}, field=field
        )
    return value.quantize(Decimal("0.01"))


def _number(value) -> Decimal | None:
    """A finite Decimal of a number or its text (a float through its shortest text), else None."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:  # decimal.InvalidOperation: not a number
        return None
    return number if number.is_finite() else None


def _check_position(latitude, longitude, accuracy) -> tuple[Decimal | None, Decimal | None, int | None]:
    """The phone's position, in range and to the stored precision (about 0.1 m), or none. Phones
    report more decimals than are kept: they are rounded, not refused. Ranges are checked first,
    so a huge number is refused rather than failing to round."""
    if latitude is None and longitude is None:
        return None, None, None
    if latitude is None or longitude is None:
        raise ApplicationError(_("位置应同时有纬度和经度。"), field="latitude")
    latitude, longitude = _number(latitude), _number(longitude)
    if latitude is None or not -90 <= latitude <= 90:
        raise ApplicationError(str(LATITUDE_RANGE), field="latitude")
    if longitude is None or not -180 <= longitude <= 180:
        raise ApplicationError(str(LONGITUDE_RANGE), field="longitude")
    if accuracy is not None:
        accuracy = _number(accuracy)
        if accuracy is None or not 0 <= accuracy <= MAX_LOCATION_ACCURACY:
            raise ApplicationError(
                _("定位精度应在 0 到 %(max)s 米之间。") % {"max": f"{MAX_LOCATION_ACCURACY:,}"},
                field="location_accuracy",
            )
        accuracy = int(accuracy.to_integral_value(rounding=ROUND_CEILING))
    places = Decimal("0.000001")
    return latitude.quantize(places, ROUND_HALF_UP), longitude.quantize(places, ROUND_HALF_UP), accuracy


def _check_visit_form(*, visited_at, kind, event_kind, campaign, follow_up_needed, follow_up_by) -> None:
    """The rules of a submit that need no veteran."""
    if visited_at > timezone.now() + CLOCK_SKEW:
        raise ApplicationError(_("走访时间不能晚于现在。"), field="visited_at")
    if kind == VisitKind.MUST_VISIT and not event_kind:
        raise ApplicationError(_("必访请选择事由。"), field="event_kind")
    if kind == VisitKind.CAMPAIGN and campaign is None:
        raise ApplicationError(_("节日慰问请选择慰问活动。"), field="campaign")
    if follow_up_needed and follow_up_by is None:
        raise ApplicationError(_("需要跟进时请填写跟进期限。"), field="follow_up_by")
    if follow_up_by is not None and follow_up_by < timezone.localtime(visited_at).date():
        raise ApplicationError(_("跟进期限不能早于走访日期。"), field="follow_up_by")


def _check_visit_veteran(veteran: Veteran, *, visited_at, campaign) -> None:
    """The rules of a submit that need the veteran as stored."""
    if veteran.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能记录走访。"))
    if veteran.life_status != LifeStatus.ALIVE:
        raise ApplicationError(
            _("%(name)s的状态为“%(status)s”，不能记录走访。")
            % {"name": veteran.name, "status": veteran.get_life_status_display()}
        )
    if timezone.localtime(visited_at).date() < veteran.birth_date:
        raise ApplicationError(_("走访时间不能早于出生日期。"), field="visited_at")
    if campaign is not None:
        visit_day = timezone.localtime(visited_at).date()
        if not campaign.starts_on <= visit_day <= campaign.ends_on:
            raise ApplicationError(
                _("走访日期不在“%(name)s”的活动期间（%(start)s 至 %(end)s）。")
                % {"name": campaign.name, "start": campaign.starts_on, "end": campaign.ends_on},
                field="campaign",
            )
        if not campaign_covers(campaign, veteran):
            raise ApplicationError(
                _("该退役军人不在“%(name)s”的慰问范围内。") % {"name": campaign.name}, field="campaign"
            )


# What a submit reads of the veteran (one row, with its grid's keys and name for the answer).
VISIT_VETERAN_FIELDS = (
    "name", "birth_date", "life_status", "removed_at", "district_id", "street_id", "community_id",
    "last_visit_on", "visit_interval_days", "event_due_on", "extreme_poverty", "minimum_living_allowance",
    "grid__name", "grid__district_id", "grid__street_id", "grid__community_id",
)  # fmt: skip


def visit_record(
    *,
    veteran: Veteran,
    acting_user,
    client_id: uuid.UUID | str | None = None,
    visited_at: datetime.datetime | None = None,
    method: str,
    kind: str = VisitKind.ROUTINE,
    event_kind: str = "",
    campaign: Campaign | None = None,
    findings: str = "",
    needs: str = "",
    money: Decimal = Decimal("0"),
    goods: str = "",
    goods_value: Decimal = Decimal("0"),
    follow_up_needed: bool = False,
    follow_up_by: datetime.date | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_accuracy: int | None = None,
    visitors=(),
    photos=(),
) -> tuple[Visit, bool]:
    """Record a visit. The same client_id again returns the first visit (created=False).

    Every phone submits through here. On PostgreSQL the common case is one statement
    (visits.quick_submit); anything else, and any refusal, takes the careful path: one read and
    one short transaction. A repeated client_id is found by VisitClaim's primary key, not by a read
    before each insert: the claim is written with the visit, so a duplicate rolls back only
    that, and only then is the first visit looked up.

    `latitude`/`longitude` (degrees) and `location_accuracy` (metres) are where the phone was,
    sent only when the worker asked for it: both coordinates or neither.
    """
    require_actor(acting_user)
    client_id = uuid.UUID(str(client_id)) if client_id else uuid.uuid4()
    people = sorted({user.pk for user in visitors} | {acting_user.pk})
    try:
        visit = _new_visit(
            client_id=client_id,
            visited_at=visited_at or timezone.now(),
            acting_user=acting_user,
            method=method,
            kind=kind,
            event_kind=event_kind,
            campaign=campaign,
            findings=findings,
            needs=needs,
            money=money,
            goods=goods,
            goods_value=goods_value,
            follow_up_needed=follow_up_needed,
            follow_up_by=follow_up_by,
            position=(latitude, longitude, location_accuracy),
        )
        if len(photos) > MAX_PHOTOS:
            raise ApplicationError(_("最多上传 %(max)s 张照片。") % {"max": MAX_PHOTOS}, field="photos")
        if quick_submit.applies(photos=photos, campaign=campaign) and quick_submit.quick_visit_write(
            visit=visit, veteran_pk=veteran.pk, acting_user=acting_user, people=people
        ):
            return visit, True
        veteran = _veteran_for_visit(acting_user, veteran.pk)
        _check_visit_veteran(veteran, visited_at=visit.visited_at, campaign=campaign)
        cleaned_photos = [clean_photo(photo) for photo in photos]
        visit.veteran = veteran
        visit.place_in_grid(veteran.grid)
    except ApplicationError:
        # A retry of a visit already recorded is answered with that visit, even when the
        # file has changed since (the veteran moved grid, or died the day after the visit).
        existing = _recorded(client_id)
        if existing is None:
            raise
        return _replayed(existing, acting_user), False
    try:
        with transaction.atomic():
            visit.save()
            # The form's number, once: a duplicate stops here and rolls the visit back with it.
            VisitClaim.objects.create(client_id=visit.client_id, visit=visit, visited_at=visit.visited_at)
            Visit.visitors.through.objects.bulk_create(
                Visit.visitors.through(visit_id=visit.pk, user_id=user_id) for user_id in people
            )
            for content in cleaned_photos:
                photo = VisitPhoto(visit=visit)
                photo.image.save(content.name, content, save=False)
                photo.save()
            _after_visit(visit, veteran)
            audit_record(action=AuditAction.CREATE, actor=acting_user, obj=visit)
    except IntegrityError:
        # The client_id is taken: a retry, or two submits of the same form that raced.
        existing = _recorded(client_id)
        if existing is None:
            raise
        return _replayed(existing, acting_user), False
    return visit, True


def _new_visit(
    *,
    client_id,
    visited_at,
    acting_user,
    method,
    kind,
    event_kind,
    campaign,
    findings,
    needs,
    money,
    goods,
    goods_value,
    follow_up_needed,
    follow_up_by,
    position,
) -> Visit:
    """The visit of a submit, checked as far as it can be without the veteran."""
    _check_visit_form(
        visited_at=visited_at,
        kind=kind,
        event_kind=event_kind,
        campaign=campaign,
        follow_up_needed=follow_up_needed,
        follow_up_by=follow_up_by,
    )
    latitude, longitude, location_accuracy = _check_position(*position)
    visit = Visit(
        client_id=client_id,
        visited_at=visited_at,
        recorded_by=acting_user,
        method=method,
        kind=kind,
        event_kind=event_kind if kind == VisitKind.MUST_VISIT else "",
        campaign=campaign,
        findings=findings,
        needs=needs,
        money=_check_amount(money, "money", _("慰问金")),
        goods=goods,
        goods_value=_check_amount(goods_value, "goods_value", _("物品价值")),
        follow_up_needed=follow_up_needed,
        follow_up_by=follow_up_by if follow_up_needed else None,
        latitude=latitude,
        longitude=longitude,
        location_accuracy=location_accuracy,
    )
    full_clean_or_raise(
        visit,
        exclude=["district", "street", "community", "grid", "veteran", "campaign", "recorded_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return visit


def _veteran_for_visit(acting_user, pk: int) -> Veteran:
    """The veteran as stored, if in the caller's scope: scope check and fresh copy in one query."""
    veterans = scope_queryset(acting_user, Veteran.objects.select_related("grid")).only(*VISIT_VETERAN_FIELDS)
    try:
        return veterans.get(pk=pk)  # get(), not first(): no ORDER BY to build for one key
    except Veteran.DoesNotExist:
        raise ApplicationError(_("该退役军人不在您的管辖范围内。"), code="out_of_scope") from None


def _recorded(client_id: uuid.UUID) -> Visit | None:
    claim = VisitClaim.objects.filter(pk=client_id).values_list("visit_id", "visited_at").first()
    if claim is None:
        return None
    visit_id, visited_at = claim
    visits = Visit.objects.only("id", "recorded_by_id")
    # With its time the visit is read from its own month; a visit whose time was corrected since
    # is still found, from every month.
    return visits.filter(pk=visit_id, visited_at=visited_at).first() or visits.filter(pk=visit_id).first()


def _replayed(visit: Visit, acting_user) -> Visit:
    if visit.recorded_by_id != acting_user.pk:
        raise ApplicationError(_("提交编号已被使用，请刷新页面后重新填写。"), code="conflict")
    return visit


def _after_visit(visit: Visit, veteran: Veteran) -> None:
    """Close the veteran's open must-visit events and move the due date, in one UPDATE of the
    veteran when no event is open: this runs on every submit from every phone."""
    day = timezone.localtime(visit.visited_at).date()
    event_due_on = veteran.event_due_on
    if event_due_on is not None:
        open_events = MustVisitEvent.objects.filter(veteran=veteran.pk, resolved_at__isnull=True)
        open_events.filter(occurred_on__lte=day).update(resolved_by=visit, resolved_at=timezone.now())
        event_due_on = open_events.order_by("due_by").values_list("due_by", flat=True).first()
    last_visit_on = max(veteran.last_visit_on or day, day)
    # The interval is kept on the file by visits.schedule: every change of a policy group
    # (priority care, hardship, a policy) recomputes it, and the nightly refresh picks up
    # birthdays. Only a file never scheduled has it worked out here.
    interval = veteran.visit_interval_days
    if interval is None:
        interval = _interval_of(veteran)
    Veteran.objects.filter(pk=veteran.pk).update(
        last_visit_on=last_visit_on,
        visit_interval_days=interval,
        visit_due_on=last_visit_on + datetime.timedelta(days=interval),
        event_due_on=event_due_on,
    )


def _interval_of(veteran: Veteran) -> int:
    return interval_for(
        birth_date=veteran.birth_date,
        extreme_poverty=veteran.extreme_poverty,
        minimum_living_allowance=veteran.minimum_living_allowance,
        categories=list(veteran.priority_care.values_list("category", "disability_grade")),
        intervals=policy_intervals(),
        today=timezone.localdate(),
    )


@transaction.atomic
def must_visit_event_report(
    *, veteran: Veteran, kind: str, occurred_on: datetime.date, note: str = "", acting_user
) -> MustVisitEvent:
    """Anyone in scope may report one; a visit is then due within the set working days."""
    _require_veteran_scope(acting_user, veteran)
    if kind not in EventKind.values:
        raise ApplicationError(_("事由无效。"), field="kind")
    today = timezone.localdate()
    if occurred_on > today:
        raise ApplicationError(_("发生日期不能晚于今天。"), field="occurred_on")
    event = MustVisitEvent(
        veteran=veteran,
        kind=kind,
        occurred_on=occurred_on,
        note=note,
        reported_by=acting_user,
        due_by=add_working_days(today, settings.MUST_VISIT_WORKING_DAYS),
    )
    event.place_in_grid(veteran.grid)
    full_clean_or_raise(
        event, exclude=["district", "street", "community", "grid", "veteran", "reported_by", "resolved_by"]
    )
    event.save()
    refresh_one(veteran)
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=event)
    return event


def _campaign_area(area) -> dict:
    if isinstance(area, District):
        return {"district": area}
    if isinstance(area, Street):
        return {"district_id": area.district_id, "street": area}
    if isinstance(area, Community):
        return {"district_id": area.district_id, "street_id": area.street_id, "community": area}
    raise ApplicationError(_("慰问范围应为区/县、街道/镇或社区/村。"), field="area")


@transaction.atomic
def campaign_create(
    *,
    name: str,
    kind: str,
    target: str,
    area,
    acting_user,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Campaign:
    """A festival's campaign left without dates runs in the festival's next window (春节, 中秋 and
    重阳 from the lunar calendar, visits.seasons); other campaigns need both dates."""
    if not in_scope(acting_user, area):
        raise ApplicationError(_("慰问范围不在您的管辖范围内。"), field="area", code="out_of_scope")
    if starts_on is None or ends_on is None:
        window = next_festival_window(kind, timezone.localdate())
        if window is None:
            raise ApplicationError(
                _("请填写开始日期和结束日期（只有节日慰问可留空，按节日自动计算）。"), field="starts_on"
            )
        starts_on, ends_on = starts_on or window[0], ends_on or window[1]
    if ends_on < starts_on:
        raise ApplicationError(_("结束日期不能早于开始日期。"), field="ends_on")
    campaign = Campaign(
        name=name,
        kind=kind,
        target=target,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=acting_user,
        **_campaign_area(area),
    )
    full_clean_or_raise(campaign, exclude=["district", "street", "community", "created_by"])
    campaign.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=campaign)
    return campaign


@transaction.atomic
def grid_activity_record(
    *, grid: Grid, held_on: datetime.date, kind: str, title: str, participants: int, note: str = "", acting_user
) -> GridActivity:
    if not in_scope(acting_user, grid):
        raise ApplicationError(_("该网格不在您的管辖范围内。"), field="grid", code="out_of_scope")
    if held_on > timezone.localdate():
        raise ApplicationError(_("活动日期不能晚于今天。"), field="held_on")
    if participants < 0:
        raise ApplicationError(_("参与人数不能为负数。"), field="participants")
    activity = GridActivity(
        held_on=held_on, kind=kind, title=title, participants=participants, note=note, recorded_by=acting_user
    )
    activity.place_in_grid(grid)
    full_clean_or_raise(activity, exclude=["district", "street", "community", "grid", "recorded_by"])
    activity.save()
    return activity


@transaction.atomic
def visit_policy_set(*, policy, interval_days: int, acting_user):
    """Change one group's interval; everyone's due date is recomputed after commit."""
    require_actor(acting_user)
    if not 1 <= int(interval_days) <= 366:
        raise ApplicationError(_("走访周期应在1至366天之间。"), field="interval_days")
    before = policy.interval_days
    policy.interval_days = int(interval_days)
    policy.save(update_fields=["interval_days", "updated_at"])
    transaction.on_commit(forget_policy_intervals)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=policy,
        detail={"interval_days": [before, policy.interval_days]},
    )
    from visits.tasks import refresh_all_schedules

    transaction.on_commit(refresh_all_schedules.delay)
    return policy


@transaction.atomic
def webhook_channel_save(*, channel, grid: Grid, kind: str, url: str, active: bool, acting_user):
    if not in_scope(acting_user, grid):
        raise ApplicationError(_("该网格不在您的管辖范围内。"), field="grid", code="out_of_scope")
    if channel.pk and not in_scope(acting_user, channel):
        raise ApplicationError(_("该机器人不在您的管辖范围内。"), code="out_of_scope")
    channel.kind, channel.url, channel.active = kind, url, active
    channel.place_in_grid(grid)
    full_clean_or_raise(channel, exclude=["district", "street", "community", "grid"])
    channel.save()
    audit_record(action=AuditAction.UPDATE if channel.pk else AuditAction.CREATE, actor=acting_user, obj=channel)
    return channel


@transaction.atomic
def notices_mark_read(*, notices: Iterable[Notification], acting_user) -> set[int]:
    """Mark the acting user's unread notices among `notices` as read (the inbox does so when it
    shows them) and return their ids; someone else's notices are left as they are.

    No audit row: the audit records key actions (changes to records, money and accounts, access
    to personal data), and a notice read by its own recipient changes nothing anyone else relies
    on; a row at every look at the inbox would only bury the rows that matter."""
    require_actor(acting_user)
    unread = {n.pk for n in notices if n.read_at is None and n.recipient_id == acting_user.pk}
    if unread:
        mine = Notification.objects.filter(pk__in=unread, recipient=acting_user, read_at__isnull=True)
        mine.update(read_at=timezone.now())
    return unread
