"""Day fields for every form and API that takes a date: the spellings clerks type and
full-width digits (core.dates), where only a whole day will do (a month alone is refused)."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.dates import MonthDate, parse_clerk_date
from core.errors import ApplicationError


def clerk_day(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    day = parse_clerk_date(str(value))
    if isinstance(day, MonthDate):
        raise ApplicationError(_("“%(value)s”只有年月，请填写到日，如 2026-03-15。") % {"value": value})
    return day


class DayField(forms.DateField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return clerk_day(value)
        except ApplicationError as error:
            raise forms.ValidationError(error.message, code="invalid") from error


class DaySerializerField(serializers.DateField):
    def to_internal_value(self, value):
        try:
            day = clerk_day(value)
        except ApplicationError as error:
            raise serializers.ValidationError(error.message) from error
        if day is None:  # "" or spaces: DRF passes them here, and a service must never get None
            raise serializers.ValidationError(_("请填写日期，如 2026-03-15。"))
        return day
