""" "Already filed" answers that tell nothing about people outside the asker's area.

A clash on an ID number is decided against every record (one person, one file, city-wide), but
what the answer says depends on the asker's scope: inside it, the existing file is named and
linked; outside it, only that the number is filed in another area and what to do. Such an
attempt is audited and the owning station is told, since it may be a move nobody filed yet,
or someone fishing for names.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from audit.models import AuditAction, AuditResult
from audit.services import audit_record
from core.crypto.cipher import id_number_hash
from core.errors import ApplicationError
from core.notices import Notice, send_notices
from grids.scoping import require_actor, scope_queryset
from grids.selectors import station_staff_owning
from veterans.models import Veteran


def filed_elsewhere_message() -> str:
    return _(
        "该身份证号已在其他地区建档，不能重复建档。如该人员已迁入本辖区，请联系区退役军人服务中心"
        "核实，由原所在地办理档案转移。"
    )


def filed_here_message(veteran: Veteran) -> str:
    return _("身份证号已存在：%(name)s（%(grid)s）的档案使用了该号码。") % {
        "name": veteran.name,
        "grid": veteran.grid.name,
    }


def record_link(veteran: Veteran) -> str:
    return reverse("admin:veterans_veteran_change", args=[veteran.pk])


def visible_to(acting_user, veterans: Iterable[Veteran]) -> set[int]:
    """Ids among `veterans` that the user may see (all of them for grids.scoping.SYSTEM)."""
    require_actor(acting_user)
    ids = [v.pk for v in veterans]
    return set(scope_queryset(acting_user, Veteran.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def check_unique_id_number(number: str, *, acting_user, exclude_pk: int | None = None, channel: str = "") -> None:
    existing = (
        Veteran.objects.filter(id_number_hash=id_number_hash(number), removed_at__isnull=True)
        .exclude(pk=exclude_pk)
        .select_related("grid")
        .first()
    )
    if existing is None:
        return
    if existing.pk in visible_to(acting_user, [existing]):
        raise ApplicationError(
            filed_here_message(existing), field="id_number", code="duplicate", link=record_link(existing)
        )
    raise ApplicationError(
        filed_elsewhere_message(),
        field="id_number",
        code="duplicate",
        after_refusal=lambda: duplicates_elsewhere_record(
            veterans=[existing], acting_user=acting_user, channel=channel
        ),
    )


@transaction.atomic
def duplicates_elsewhere_record(*, veterans: list[Veteran], acting_user, channel: str) -> None:
    """One audit row for the attempt, and a notice to each owning station (once a day per
    asker and record, however often the form is sent again)."""
    audit_record(
        action=AuditAction.DUPLICATE_ELSEWHERE,
        actor=acting_user,
        result=AuditResult.FAILURE,
        detail={"channel": channel, "veterans": [v.pk for v in veterans[:200]], "count": len(veterans)},
    )
    asker = _asker_text(acting_user)
    day = timezone.localdate().isoformat()
    by_recipient: dict[int, list[Veteran]] = defaultdict(list)
    for veteran in veterans:
        for profile in station_staff_owning(area=veteran).only("user_id"):
            by_recipient[profile.user_id].append(veteran)
    with override(settings.LANGUAGE_CODE):
        notices = [
            Notice(
                recipient_id=user_id,
                title=_("他区尝试重复建档"),
                body=_attempt_body(asker, owned),
                link=record_link(owned[0]) if len(owned) == 1 else reverse("admin:veterans_veteran_changelist"),
                dedupe_key=f"dup-elsewhere:{day}:{getattr(acting_user, 'pk', 0)}:{user_id}:{owned[0].pk}",
            )
            for user_id, owned in by_recipient.items()
        ]
    send_notices(notices)


def _asker_text(user) -> str:
    if not hasattr(user, "get_username"):
        return str(user)  # a job
    profile = getattr(user, "staff_profile", None)
    area = profile.scope_area if profile is not None else None
    who = user.get_full_name() or user.get_username()
    return f"{who}（{area}）" if area else who


def _attempt_body(asker: str, owned: list[Veteran]) -> str:
    names = "、".join(v.name for v in owned[:10])
    if len(owned) > 10:
        names += _("等%(count)s人") % {"count": len(owned)}
    return _(
        "%(asker)s 用本辖区 %(names)s 的身份证号新建档案，已被拒绝。如该人员已迁往对方辖区，请办理档案转移；"
        "如非本人所为或有疑问，请联系区退役军人服务中心。"
    ) % {"asker": asker, "names": names}
