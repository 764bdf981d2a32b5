"""Form widgets shared by the phone and desk pages."""

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. Its value must be ISO (yyyy-mm-dd) whatever the language, or
    the browser shows an empty field and the default date (e.g. today) is lost."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
