"""The daily reminder job: who is due today and who is overdue, for every grid worker.

Built on a few grouped queries (counts per grid, at most five names per grid), whatever the
number of veterans. Idempotent: notifications and webhook messages carry a per-day key, so
running the job twice in a day notifies once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from grids.models import Role, StaffProfile
from veterans.models import LifeStatus, Veteran
from visits.models import Notification, WebhookChannel, WebhookDelivery

NAMES_PER_GRID = 5


@dataclass
class GridDue:
    grid_id: int
    grid_name: str = ""
    due_today: int = 0
    overdue: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class ReminderReport:
    day: datetime.date
    grids_with_work: int = 0
    notifications: int = 0
    emails: int = 0
    webhooks: int = 0


def _active_veterans():
    return Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE)


def due_by_grid(day: datetime.date) -> dict[int, GridDue]:
    """Counts per grid of veterans due today and overdue, with a few names (most overdue first)."""
    due_today = Q(visit_due_on=day) | Q(event_due_on=day)
    overdue = Q(visit_due_on__lt=day) | Q(event_due_on__lt=day)
    rows = (
        _active_veterans()
        .filter(due_today | overdue)
        .values("grid_id", "grid__name")
        .annotate(due_today=Count("id", filter=due_today & ~overdue), overdue=Count("id", filter=overdue))
    )
    grids = {
        row["grid_id"]: GridDue(row["grid_id"], row["grid__name"], row["due_today"], row["overdue"]) for row in rows
    }
    ranked = (
        _active_veterans()
        .filter(due_today | overdue)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("grid_id")],
                order_by=[F("event_due_on").asc(nulls_last=True), F("visit_due_on").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=NAMES_PER_GRID)
        .values_list("grid_id", "name")
    )
    for grid_id, name in ranked:
        grids[grid_id].names.append(name)
    return grids


def _grid_members() -> tuple[dict[int, list[StaffProfile]], dict[int, list[StaffProfile]]]:
    workers: dict[int, list[StaffProfile]] = defaultdict(list)
    leaders: dict[int, list[StaffProfile]] = defaultdict(list)
    links = StaffProfile.grids.through.objects.filter(
        staffprofile__role__in=[Role.GRID_WORKER, Role.GRID_LEADER], staffprofile__user__is_active=True
    ).select_related("staffprofile__user")
    for link in links:
        profile = link.staffprofile
        (workers if profile.role == Role.GRID_WORKER else leaders)[link.grid_id].append(profile)
    return workers, leaders


def _names_text(due: GridDue) -> str:
    names = "、".join(due.names)
    total = due.due_today + due.overdue
    return names + (_("等%(count)s人") % {"count": total} if total > len(due.names) else "")


def worker_message(grids: list[GridDue]) -> str:
    lines = [
        _("%(grid)s：今日应访 %(today)s 人，逾期 %(overdue)s 人（%(names)s）")
        % {"grid": g.grid_name, "today": g.due_today, "overdue": g.overdue, "names": _names_text(g)}
        for g in grids
    ]
    return "\n".join(lines)


def leader_message(late_workers: list[tuple[str, int]]) -> str:
    return "\n".join(
        _("%(name)s：逾期未访 %(count)s 人") % {"name": name, "count": count} for name, count in late_workers
    )


def send_daily_reminders(day: datetime.date) -> ReminderReport:
    """Build every message of the day; deliveries to outside systems are queued after commit."""
    with override(settings.LANGUAGE_CODE):
        return _send(day)


def _send(day: datetime.date) -> ReminderReport:
    report = ReminderReport(day=day)
    due = due_by_grid(day)
    report.grids_with_work = len(due)
    workers, leaders = _grid_members()
    per_user: dict[int, tuple[StaffProfile, list[GridDue]]] = {}
    for grid_id, grid_due in due.items():
        for profile in workers.get(grid_id, []):
            per_user.setdefault(profile.user_id, (profile, []))[1].append(grid_due)
    notifications = []
    link = reverse("mobile:home")
    for user_id, (_profile, grids) in per_user.items():
        notifications.append(
            Notification(
                recipient_id=user_id,
                title=_("今日走访提醒"),
                body=worker_message(grids),
                link=link,
                dedupe_key=f"reminder:{day.isoformat()}:{user_id}",
            )
        )
    for user_id, late in _late_workers_by_leader(due, workers, leaders).items():
        notifications.append(
            Notification(
                recipient_id=user_id,
                title=_("网格员逾期走访情况"),
                body=leader_message(late),
                link=link,
                dedupe_key=f"escalation:{day.isoformat()}:{user_id}",
            )
        )
    with transaction.atomic():
        keys = [n.dedupe_key for n in notifications]
        already = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        fresh = [n for n in notifications if n.dedupe_key not in already]
        Notification.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
        report.notifications = len(fresh)
        deliveries = _queue_webhooks(day, due)
        report.webhooks = len(deliveries)
    report.emails = _send_emails(fresh)
    from visits.tasks import deliver_webhook

    for delivery_id in deliveries:
        deliver_webhook.delay(delivery_id)
    return report


def _late_workers_by_leader(due, workers, leaders) -> dict[int, list[tuple[str, int]]]:
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for grid_id, grid_due in due.items():
        if not grid_due.overdue:
            continue
        for leader in leaders.get(grid_id, []):
            for worker in workers.get(grid_id, []):
                name = worker.user.first_name or worker.user.username
                result[leader.user_id][name] += grid_due.overdue
    return {user_id: sorted(late.items()) for user_id, late in result.items()}


def _queue_webhooks(day: datetime.date, due: dict[int, GridDue]) -> list[int]:
    channels = WebhookChannel.objects.filter(active=True, grid_id__in=list(due))
    deliveries = [
        WebhookDelivery(
            channel=channel,
            dedupe_key=f"webhook:{day.isoformat()}:{channel.pk}",
            payload={
                "msgtype": "text",
                "text": {"content": _("【走访提醒】") + worker_message([due[channel.grid_id]])},
            },
        )
        for channel in channels
    ]
    keys = [d.dedupe_key for d in deliveries]
    already = set(WebhookDelivery.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    fresh = [d for d in deliveries if d.dedupe_key not in already]
    WebhookDelivery.objects.bulk_create(fresh, ignore_conflicts=True)
    return list(
        WebhookDelivery.objects.filter(dedupe_key__in=[d.dedupe_key for d in fresh]).values_list("id", flat=True)
    )


def _send_emails(notifications: list[Notification]) -> int:
    emails = dict(
        get_user_model()
        .objects.filter(pk__in=[n.recipient_id for n in notifications], is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    messages = [
        (n.title, n.body, settings.DEFAULT_FROM_EMAIL, [emails[n.recipient_id]])
        for n in notifications
        if n.recipient_id in emails
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)
    return len(messages)
