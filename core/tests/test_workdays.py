import datetime

from core.workdays import add_working_days, is_working_day


def test_national_day_week_is_skipped():
    # 2026-10-01..07 is the National Day holiday; 2026-09-30 is a working day.
    assert add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)


def test_make_up_working_saturday_counts():
    # 2026-01-04 (Sunday) was a make-up working day for New Year 2026.
    assert is_working_day(datetime.date(2026, 1, 4))


def test_years_without_data_fall_back_to_weekdays():
    assert add_working_days(datetime.date(2031, 1, 3), 1) == datetime.date(2031, 1, 6)
