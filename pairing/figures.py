"""The dashboard's 一对一结对 section (core.board_figures): living people with an active pair, of
them those in a key group, the key-group people, the coverage rate, and this year's contacts and
enterprise gifts. The people are counted with the board's own count of people (`people`), contacts
and gifts in one query each, per child area, linked to lists of exactly those rows.
`paired_people` is also the "pairing" coverage of Pinghu's five coverages (projects app)."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.board_figures import Figure, FigureSource, area_list_url, in_area
from grids.scoping import scope_queryset
from pairing.filters import ANY_KEY_GROUP
from pairing.models import PairContact, PairGift, PartnerKind
from pairing.selectors import any_key_group_q, paired_q

COVERAGE_LIST = "admin:pairing_coverageperson_changelist"


def _through_pair(filters: dict) -> dict:
    return {f"pair__{key}": value for key, value in filters.items()}


def people_figures(today: datetime.date, *, hashed: bool) -> dict[str, Q]:
    """Counted by the board over the living people of the area (core.board_figures `people`)."""
    paired, key = paired_q(hashed=hashed), any_key_group_q(today, hashed=hashed)
    return {"paired_people": paired, "paired_key_people": paired & key, "key_people": key}


def count_pairing(*, user, level: str, area_id: int | None, group: str, today: datetime.date, put) -> None:
    by_area = f"pair__{group}"
    contacts = scope_queryset(user, PairContact.objects.filter(contacted_on__year=today.year))
    contacts = contacts.filter(**_through_pair(in_area(level, area_id))).order_by().values(by_area)
    for row in contacts.annotate(n=Count("pk")):
        put(row[by_area], "pair_contacts_year", row["n"])
    gifts = PairGift.objects.filter(given_on__year=today.year, pair__partner_kind=PartnerKind.ENTERPRISE)
    gifts = scope_queryset(user, gifts).filter(**_through_pair(in_area(level, area_id))).order_by().values(by_area)
    for row in gifts.annotate(n=Count("pk")):
        put(row[by_area], "enterprise_gifts_year", row["n"])


def _paired_list(area, today):
    return area_list_url(COVERAGE_LIST, area, paired="yes")


def _paired_key_list(area, today):
    return area_list_url(COVERAGE_LIST, area, paired="yes", key_group=ANY_KEY_GROUP)


def _key_list(area, today):
    return area_list_url(COVERAGE_LIST, area, key_group=ANY_KEY_GROUP)


def _contacts_list(area, today):
    return area_list_url("admin:pairing_paircontact_changelist", area, contacted_on__year=today.year)


def _gifts_list(area, today):
    return area_list_url(
        "admin:pairing_pairgift_changelist",
        area,
        pair__partner_kind__exact=PartnerKind.ENTERPRISE,
        given_on__year=today.year,
    )


SOURCE = FigureSource(
    key="pairing",
    title=_("一对一结对"),
    figures=(
        Figure("paired_people", _("已结对人数"), link=_paired_list),
        Figure("paired_key_people", _("已结对重点群体人数"), link=_paired_key_list),
        Figure("key_people", _("重点群体人数"), link=_key_list),
        Figure("pairing_key_coverage", _("重点群体结对覆盖率"), rate_of=("paired_key_people", "key_people")),
        Figure("pair_contacts_year", _("本年结对走访次数"), link=_contacts_list),
        Figure("enterprise_gifts_year", _("本年企业帮扶次数"), link=_gifts_list),
    ),
    count=count_pairing,
    order=40,
    queries=2,
    people=people_figures,
)
