"""Demo near-duplicates for `make run`: second files of existing veterans as a clerk would file
them by mistake, through veterans.services (which refuses an exact duplicate ID number), then
the finder's whole pass, so the review queue (疑似重复档案) has pairs to merge or reject.

Every second file's ID number is valid (GB 11643 check digit recomputed), so a mistyped digit
shows as two characters apart (the digit and the check digit): near, by the finder's rule.
Half of the originals live in the first street (the demo street station's), so that station
sees pairs of its own; a station sees a pair only when both files are in its area."""

import datetime
import random

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from stdnum.cn import ric

from core.crypto.cipher import id_number_hash
from grids.demo import DISTRICTS
from grids.models import District, Grid, Street
from grids.scoping import SYSTEM
from merging.finder import ids_near, pairs_find
from merging.models import DuplicatePair
from veterans.identity import make_id_number
from veterans.models import LifeStatus, PersonKind, Veteran
from veterans.services import veteran_create

# Characters a clerk writes for another of the same sound (同音字): the pinyin stays the same.
HOMOPHONES = {
    "伟": "炜", "芳": "方", "静": "婧", "丽": "莉", "军": "君", "洋": "扬", "勇": "永", "艳": "燕",
    "杰": "洁", "娟": "鹃", "涛": "韬", "明": "铭", "秀": "绣", "平": "萍", "刚": "钢", "英": "瑛",
    "华": "桦", "建": "健", "国": "帼", "志": "智", "红": "宏", "玉": "钰", "兰": "岚", "文": "雯",
    "斌": "彬", "波": "博", "宇": "禹", "浩": "昊", "凯": "楷", "鹏": "朋", "辉": "晖", "林": "琳",
    "峰": "锋", "梅": "玫", "晨": "辰", "阳": "扬", "敏": "民", "磊": "垒", "霞": "侠", "桂": "贵",
}  # fmt: skip
# Characters misread from handwriting (形近字): another sound, so only the phone gives it away.
LOOKALIKES = {
    "洋": "详", "涛": "祷", "浩": "诰", "明": "朋", "林": "材", "海": "诲", "晨": "晟", "国": "固",
    "宇": "字", "桂": "挂", "斌": "赋", "波": "坡", "伟": "佳", "英": "央", "秀": "季", "玉": "王",
    "华": "毕", "强": "弹", "敏": "繁", "静": "睁",
}  # fmt: skip
# What went wrong with each second file, in turn.
MISTAKES = ["homophone", "birth_typo", "reissued", "lookalike"]
OTHER_REGIONS = [code for code, _name in DISTRICTS]


def _with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def _retyped(number: str, at: int, digit: str) -> str:
    """The number with one digit of its first 17 typed differently, and a valid check digit."""
    return _with_check_digit(number[:at] + digit + number[at + 1 : 17])


def _name_with(name: str, table: dict[str, str]) -> str | None:
    """The name with its first given-name character found in `table` replaced."""
    for index in range(1, len(name)):
        if name[index] in table:
            return name[:index] + table[name[index]] + name[index + 1 :]
    return None


def _mistyped_order(rng: random.Random, number: str) -> str:
    # The first two digits of the order code: the third carries the gender, kept as it is.
    at = rng.choice([14, 15])
    return _retyped(number, at, rng.choice([d for d in "0123456789" if d != number[at]]))


def _mistyped_day(number: str) -> str | None:
    """The birth day's last digit one off (12 → 13), a day that exists, in the same year."""
    birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    for step in (1, -1):
        day = birth + datetime.timedelta(days=step)
        if day.month == birth.month and day.day // 10 == birth.day // 10:
            return _retyped(number, 13, str(day.day % 10))
    return None


def _second_file(rng: random.Random, original: Veteran, mistake: str) -> dict | None:
    """Name, ID number and phone of the second file, or None when this original cannot make
    this mistake (no character to mix up)."""
    number, name, phone = original.id_number, original.name, original.phone
    if mistake == "homophone":  # same sound, one digit mistyped, no phone taken down
        name, number, phone = _name_with(name, HOMOPHONES), _mistyped_order(rng, number), ""
    elif mistake == "birth_typo":  # the ID's birth day mistyped
        number = _mistyped_day(number)
    elif mistake == "reissued":  # an older ID from another district, same name, birthday, phone
        region = rng.choice([code for code in OTHER_REGIONS if code != number[:6]])
        number = make_id_number(region, original.birth_date, rng.randrange(500), original.gender)
    else:  # lookalike: a character misread and a digit mistyped; the same phone
        name, number = _name_with(name, LOOKALIKES), _mistyped_order(rng, number)
    if not name or not number:
        return None
    if mistake != "reissued" and not ids_near(number, original.id_number):
        return None
    if Veteran.objects.filter(id_number_hash=id_number_hash(number), removed_at__isnull=True).exists():
        return None
    return {"name": name, "id_number": number, "phone": phone}


def _originals(district: District, street: Street | None, count: int) -> list[Veteran]:
    paired = DuplicatePair.objects.filter(Q(first_id=OuterRef("pk")) | Q(second_id=OuterRef("pk")))
    people = (
        Veteran.objects.filter(
            district=district, person_kind=PersonKind.VETERAN, life_status=LifeStatus.ALIVE, removed_at__isnull=True
        )
        .exclude(phone_hash="")
        .exclude(Exists(paired))
        .order_by("id")
    )
    if street is not None:
        people = people.filter(street=street)
    return list(people[: count * 4])


def build_demo_near_duplicates(*, pairs: int, seed: int) -> int:
    """File `pairs` second files of veterans in the first district, then run the finder over the
    whole city. Returns the number of pairs it added to the review queue."""
    district = District.objects.order_by("id").first()
    if district is None or pairs <= 0:
        return 0
    rng = random.Random(seed * 29 + 11)
    first_street = Street.objects.filter(district=district).order_by("id").first()
    pools = [_originals(district, first_street, pairs), _originals(district, None, pairs)]
    for pool in pools:
        rng.shuffle(pool)
    used: set[int] = set()
    with transaction.atomic():
        for index in range(pairs):
            mistake, pool = MISTAKES[index % len(MISTAKES)], pools[index % 2]
            for original in pool:
                if original.pk in used:
                    continue
                second = _second_file(rng, original, mistake)
                if second is None:
                    continue
                used.add(original.pk)
                _file_again(rng, original, second)
                break
        return pairs_find(acting_user=SYSTEM)


def _file_again(rng: random.Random, original: Veteran, second: dict) -> Veteran:
    """The second file, in another grid of the same community where there is one (filed where
    the person rents, say); birth date and gender come from its ID number."""
    grids = list(Grid.objects.filter(community_id=original.community_id).exclude(pk=original.grid_id).order_by("id"))
    return veteran_create(
        grid=rng.choice(grids) if grids else original.grid,
        acting_user=SYSTEM,
        ethnicity=original.ethnicity,
        residence_address=original.residence_address,
        household_registration=original.household_registration,
        person_kind=original.person_kind,
        veteran_type=original.veteran_type,
        branch=original.branch,
        enlistment_date=original.enlistment_date,
        discharge_date=original.discharge_date,
        **second,
    )
