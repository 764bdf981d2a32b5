"""The workbench's pairing to-do: living people of a key group without an active pair, linked to
the coverage list of exactly those people. Registered by PairingConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from pairing.filters import ANY_KEY_GROUP
from pairing.selectors import unpaired_key_people


def pairing_todos(*, user, today: datetime.date) -> list[Todo]:
    count = unpaired_key_people(user=user, today=today).count()
    url = list_url("admin:pairing_coverageperson_changelist", key_group=ANY_KEY_GROUP, paired="no")
    return [Todo(_("重点群体未结对"), count, url)]


SECTION = TodoSection(
    key="pairing",
    title=gettext_lazy("一对一结对"),
    permission="pairing.view_coverageperson",
    todos=pairing_todos,
    order=65,
)
