"""Derived facts about a record: key groups and completeness. Pure functions, no queries."""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from veterans.models import MAJOR_HONOURS, VETERAN_ONLY_FIELDS, HonourKind, PersonKind, SourceSoldier, Veteran, age_on

MERIT_KINDS = {HonourKind.FIRST_CLASS, HonourKind.SECOND_CLASS, HonourKind.THIRD_CLASS}
OLD_AGE = 80


class KeyGroup:
    AGE_80_PLUS = "age_80_plus"
    EXTREME_HARDSHIP = "extreme_hardship"
    MAJOR_CONTRIBUTION = "major_contribution"
    MERIT_AWARDS = "merit_awards"

    labels = {
        AGE_80_PLUS: _("80岁及以上"),
        EXTREME_HARDSHIP: _("特别困难"),
        MAJOR_CONTRIBUTION: _("重大贡献"),
        MERIT_AWARDS: _("立功受奖"),
    }


def birth_date_cutoff(age: int, today: datetime.date) -> datetime.date:
    """People born on or before this date are at least `age` years old today."""
    try:
        return today.replace(year=today.year - age)
    except ValueError:  # 29 February
        return today.replace(year=today.year - age, day=28)


def key_group_q(group: str, today: datetime.date) -> Q:
    """The same rule as `key_groups`, as a filter over Veteran rows."""
    if group == KeyGroup.AGE_80_PLUS:
        return Q(birth_date__lte=birth_date_cutoff(OLD_AGE, today))
    if group == KeyGroup.EXTREME_HARDSHIP:
        return Q(extreme_poverty=True) | Q(minimum_living_allowance=True)
    if group == KeyGroup.MAJOR_CONTRIBUTION:
        return Q(honours__kind__in=MAJOR_HONOURS)
    if group == KeyGroup.MERIT_AWARDS:
        return Q(honours__kind__in=MERIT_KINDS)
    raise ValueError(group)


def key_groups(veteran: Veteran, honour_kinds: set[str], today: datetime.date) -> list[str]:
    groups = []
    if age_on(veteran.birth_date, today) >= OLD_AGE:
        groups.append(KeyGroup.AGE_80_PLUS)
    if veteran.extreme_poverty or veteran.minimum_living_allowance:
        groups.append(KeyGroup.EXTREME_HARDSHIP)
    if honour_kinds & MAJOR_HONOURS:
        groups.append(KeyGroup.MAJOR_CONTRIBUTION)
    if honour_kinds & MERIT_KINDS:
        groups.append(KeyGroup.MERIT_AWARDS)
    return groups


@dataclass(frozen=True)
class CompletenessItem:
    key: str
    label: str


# What a station must collect for every veteran (信息采集明细). Skills and needs may truly be
# empty, so they are not counted.
COMPLETENESS_ITEMS = [
    CompletenessItem("name", _("姓名")),
    CompletenessItem("gender", _("性别")),
    CompletenessItem("ethnicity", _("民族")),
    CompletenessItem("id_number", _("公民身份号码")),
    CompletenessItem("birth_date", _("出生日期")),
    CompletenessItem("phone", _("联系电话")),
    CompletenessItem("residence_address", _("现居住地址")),
    CompletenessItem("household_registration", _("户籍地")),
    CompletenessItem("veteran_type", _("退役类别")),
    CompletenessItem("branch", _("服役军种")),
    CompletenessItem("enlistment_date", _("入伍时间")),
    CompletenessItem("discharge_date", _("退役时间")),
    CompletenessItem("employment", _("就业状况")),
    CompletenessItem("medical_insurance", _("医疗保险")),
    CompletenessItem("party_relation", _("党组织关系")),
    CompletenessItem("family", _("家庭成员")),
]


# A file below this share of its items (percent) is the station's to-do (workbench, 低于60% filter).
COMPLETENESS_LINE = 60

# A survivor's or a serving soldier's family member has no service history to collect.
NON_VETERAN_ITEMS = [item for item in COMPLETENESS_ITEMS if item.key not in VETERAN_ONLY_FIELDS]


def items_for(veteran: Veteran) -> list[CompletenessItem]:
    return COMPLETENESS_ITEMS if veteran.person_kind == PersonKind.VETERAN else NON_VETERAN_ITEMS


def missing_items(veteran: Veteran, *, family_count: int) -> list[CompletenessItem]:
    missing = []
    for item in items_for(veteran):
        if item.key == "family":
            present = family_count > 0
        elif item.key == "party_relation":
            present = not veteran.is_party_member or bool(veteran.party_relation)
        else:
            present = bool(getattr(veteran, item.key))
        if not present:
            missing.append(item)
    return missing


def completeness_score(veteran: Veteran, *, family_count: int) -> int:
    missing = len(missing_items(veteran, family_count=family_count))
    items = len(items_for(veteran))
    return round(100 * (items - missing) / items)


# Surnames whose reading differs from the character's most common one.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "查": "zha", "仇": "qiu", "朴": "piao", "区": "ou", "盖": "ge",
    "乐": "yue", "缪": "miao", "覃": "qin", "尉": "yu", "员": "yun", "繁": "po", "藏": "zang", "翟": "zhai",
}  # fmt: skip


@lru_cache(maxsize=20_000)
def _syllable(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL)[0].lower()


def name_search_keys(name: str) -> tuple[str, str]:
    """Pinyin and initials, so `zhangsan` or `zs` find 张三.

    Read character by character (cached): phrase segmentation costs ~0.4 ms a name, too slow
    for imports of 100,000 rows, and names are not phrases anyway.
    """
    syllables = [_syllable(char) for char in name]
    if name and name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    pinyin = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s)
    return pinyin[:200], initials[:50]


def source_soldier_text(soldier: SourceSoldier | None) -> str:
    """How the history shows the soldier a file derives from: every fact a clerk might correct."""
    if soldier is None:
        return ""
    parts = [
        soldier.name,
        soldier.get_status_display(),
        soldier.get_relation_display(),
        soldier.unit,
        soldier.death_date.isoformat() if soldier.death_date else "",
        soldier.death_place,
        soldier.certificate_number,
        gettext("本人档案#%(id)s") % {"id": soldier.soldier_file_id} if soldier.soldier_file_id else "",
    ]
    return " / ".join(str(part) for part in parts if part)
