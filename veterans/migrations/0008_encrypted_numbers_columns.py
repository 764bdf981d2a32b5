"""ID and phone numbers encrypted at rest (step 1 of 3): hash columns, wider encrypted columns."""

import django.core.validators
from django.db import migrations, models

import core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0007_staffprofile_phone_encrypted"),
        ("veterans", "0007_live_scope_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="veteran",
            name="veteran_id_unique_active",
        ),
        migrations.RemoveIndex(
            model_name="veteran",
            name="veteran_id_number_idx",
        ),
        migrations.RemoveIndex(
            model_name="veteran",
            name="veteran_phone_idx",
        ),
        migrations.AddField(
            model_name="veteran",
            name="id_number_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="veteran",
            name="phone_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="familymember",
            name="phone",
            field=core.fields.EncryptedCharField(
                blank=True,
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9+\\-() ]{5,20}$", "电话号码格式不正确，只能包含数字、空格和+-()，5至20位。"
                    )
                ],
                verbose_name="联系电话",
            ),
        ),
        migrations.AlterField(
            model_name="veteran",
            name="id_number",
            field=core.fields.EncryptedCharField(max_length=18, verbose_name="公民身份号码"),
        ),
        migrations.AlterField(
            model_name="veteran",
            name="phone",
            field=core.fields.EncryptedCharField(
                blank=True,
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9+\\-() ]{5,20}$", "电话号码格式不正确，只能包含数字、空格和+-()，5至20位。"
                    )
                ],
                verbose_name="联系电话",
            ),
        ),
    ]
