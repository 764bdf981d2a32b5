"""Dates as clerks type them, with their precision.

Ledgers write enlistment as "1998.12" or "1998年12月": a month, not the 1st of it. Such a value
is a `MonthDate` (a `date` on the 1st that remembers it stands for the month), so it is stored
as the 1st and shown back as the month. Spellings that could mean two days are refused with the
spelling expected, never guessed.
"""

import datetime
import re

from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.normalize import plain


class MonthDate(datetime.date):
    """A month, stored as its first day."""

    def __new__(cls, year: int, month: int, day: int = 1):
        return super().__new__(cls, year, month, 1)

    def __repr__(self) -> str:
        return f"MonthDate({self.year}, {self.month})"

    def month_text(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


_SEP = r"\s*[-/.．。、]\s*"
_DAY = [
    re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH = [
    re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
# A time after the date (a cell copied from another system): the date part is what counts.
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def expected_spellings() -> str:
    return _(
        "如 1998-12-01、1998/12/01、1998.12.01、1998年12月1日、19981201；只有年月时写 1998-12、1998.12 或 1998年12月"
    )


def parse_clerk_date(text: str) -> datetime.date | None:
    """A date (or a MonthDate) from the spellings above; empty text is None."""
    value = _TIME_TAIL.sub("", plain(text))
    if not value:
        return None
    for pattern in _DAY:
        if match := pattern.match(value):
            year, month, day = (int(part) for part in match.groups())
            return _make(value, datetime.date, year, month, day)
    for pattern in _MONTH:
        if match := pattern.match(value):
            year, month = (int(part) for part in match.groups())
            return _make(value, MonthDate, year, month, 1)
    raise ApplicationError(
        _("“%(value)s”不是可识别的日期（%(expected)s）。") % {"value": text, "expected": expected_spellings()}
    )


def _make(text: str, kind, year: int, month: int, day: int) -> datetime.date:
    if year < 1900:
        raise ApplicationError(_("“%(value)s”的年份不合理。") % {"value": text})
    try:
        return kind(year, month, day)
    except ValueError as error:
        raise ApplicationError(_("日期“%(value)s”不存在。") % {"value": text}) from error


def date_text(value: datetime.date | None) -> str:
    """How a date is shown back: a MonthDate as the month, any other date in full."""
    if value is None:
        return ""
    if isinstance(value, MonthDate):
        return value.month_text()
    return value.isoformat()
