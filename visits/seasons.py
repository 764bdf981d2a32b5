"""When each festival's campaign runs in a given year. 春节, 中秋 and 重阳 move with the lunar
calendar, so their dates come from `lunardate`, never from a fixed day; 八一 is solar."""

import datetime
from collections.abc import Callable

from lunardate import LunarDate

from visits.models import CampaignKind

Window = tuple[datetime.date, datetime.date]


def _lunar(year: int, month: int, day: int) -> datetime.date:
    return LunarDate(year, month, day).to_solar_date()


def _two_weeks_before(festival: Callable[[int], datetime.date]) -> Callable[[int], Window]:
    def window(year: int) -> Window:
        day = festival(year)
        return day - datetime.timedelta(days=14), day

    return window


# Each festival's window in the year the festival falls in.
WINDOWS: dict[str, Callable[[int], Window]] = {
    # From 小年 (腊月二十三 of the lunar year before) through 元宵 (正月十五): stations visit until then.
    CampaignKind.SPRING_FESTIVAL: lambda year: (_lunar(year - 1, 12, 23), _lunar(year, 1, 15)),
    CampaignKind.MID_AUTUMN: _two_weeks_before(lambda year: _lunar(year, 8, 15)),
    CampaignKind.DOUBLE_NINTH: _two_weeks_before(lambda year: _lunar(year, 9, 9)),
    CampaignKind.ARMY_DAY: _two_weeks_before(lambda year: datetime.date(year, 8, 1)),
}


def festival_window(kind: str, year: int) -> Window | None:
    """The campaign dates of `kind` around its festival in `year`; None for a kind without one."""
    window = WINDOWS.get(kind)
    return window(year) if window else None


def next_festival_window(kind: str, today: datetime.date) -> Window | None:
    """This year's window if it has not ended yet, else next year's: what a clerk setting up a
    春节 campaign in December means."""
    window = festival_window(kind, today.year)
    if window is not None and window[1] < today:
        window = festival_window(kind, today.year + 1)
    return window
