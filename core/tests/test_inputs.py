import datetime

import pytest
from django import forms

from core.inputs import DayField


class _Form(forms.Form):
    day = DayField()


@pytest.mark.parametrize("text", ["2026-03-15", "２０２６－０３－１５", "2026.3.15", "2026年3月15日", "20260315"])
def test_a_day_field_takes_the_spellings_clerks_type(text):
    form = _Form({"day": text})
    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("text", "reason"), [("2026-03", "请填写到日"), ("03/15/2026", "不是可识别的日期"), ("2026-02-30", "不存在")]
)
def test_a_day_field_refuses_a_month_or_an_ambiguous_day_saying_why(text, reason):
    form = _Form({"day": text})
    assert not form.is_valid() and reason in form.errors["day"][0]
