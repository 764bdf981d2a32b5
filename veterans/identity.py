"""Citizen ID numbers (公民身份号码, GB 11643); their masked display is core.masking.

Built from python-stdnum's pieces: its check digit and its GB/T 2260 region table. Its own
`validate` is not used because it demands that the region code existed in the birth year,
and veterans often got their first ID after discharge, under a code created years later.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric

from core.errors import ApplicationError
from core.normalize import plain_code

ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdentityFacts:
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F"
    province: str
    county: str


@lru_cache(maxsize=4096)
def _region(prefix: str) -> tuple[str, str] | None:
    info = {key: value for _part, props in numdb.get("cn/loc").info(prefix) for key, value in props.items()}
    if "county" not in info or "province" not in info:
        return None
    # Counties carry their years of validity as "[2000-]name"; any year is acceptable here.
    county = re.sub(r"\[[^\]]*\]", "", info["county"].split(",")[-1])
    return info["province"], county


def parse_id_number(raw: str, *, today: datetime.date | None = None, field: str = "id_number") -> IdentityFacts:
    """Validate an ID number and return what it encodes. Lowercase x is accepted as X, and
    full-width digits and spaces as their plain forms (NFKC)."""
    number = plain_code(raw or "")
    if len(number) != 18:
        raise ApplicationError(_("身份证号应为18位，当前为%(length)s位。") % {"length": len(number)}, field=field)
    if not ID_PATTERN.match(number):
        raise ApplicationError(_("身份证号前17位必须是数字，最后一位是数字或X。"), field=field)
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise ApplicationError(
            _("身份证号中的出生日期%(date)s不存在。") % {"date": number[6:14]}, field=field
        ) from error
    if birth_date > (today or datetime.date.today()) or birth_date.year < 1900:
        raise ApplicationError(
            _("身份证号中的出生日期%(date)s不合理。") % {"date": birth_date.isoformat()}, field=field
        )
    region = _region(number[:6])
    if region is None:
        raise ApplicationError(_("身份证号前6位地区码%(code)s不存在。") % {"code": number[:6]}, field=field)
    if ric.calc_check_digit(number) != number[-1]:
        raise ApplicationError(_("身份证号校验位错误，请核对号码。"), field=field)
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdentityFacts(number, birth_date, gender, region[0], region[1])


def make_id_number(region: str, birth_date: datetime.date, sequence: int, gender: str) -> str:
    """A valid number for demo data: sequence 0-499, odd order code for men."""
    order = sequence * 2 + (1 if gender == "M" else 0)
    body = f"{region}{birth_date:%Y%m%d}{order % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")
