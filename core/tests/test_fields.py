from django.db import models

from core.fields import user_reference


def test_a_user_reference_is_optional_protected_and_without_reverse_accessor():
    field = user_reference("录入人")
    assert (field.null, field.blank, field.remote_field.on_delete) == (True, True, models.PROTECT)
    assert field.remote_field.related_name == "+"
    assert field.verbose_name == "录入人"


def test_a_required_user_reference_is_required_on_the_form_too():
    field = user_reference("记录人", null=False)
    assert (field.null, field.blank) == (False, False)


def test_other_options_pass_through():
    field = user_reference("操作人", db_index=False, help_text="why")
    assert (field.db_index, field.help_text) == (False, "why")
