"""PostgreSQL: the daily job's warning about a month left in the default partition names the
command that moves it out (`manage.py split_default_partition`). The function of 0001 otherwise
unchanged; reversing restores its plain warning."""

import importlib

from django.db import migrations

FIRST = importlib.import_module("core.migrations.0001_month_partition_functions")
WARNING = "RAISE WARNING '% keeps its rows of % in %', parent, to_char(month, 'YYYY-MM'), default_part;"
HINTED = """RAISE WARNING '% keeps its rows of % in %', parent, to_char(month, 'YYYY-MM'), default_part
                    USING HINT = format('manage.py split_default_partition --table %s --month %s moves them'
                                        ' into a month of their own.', parent_name, to_char(month, 'YYYY-MM'));"""
assert FIRST.FUNCTIONS.count(WARNING) == 1
FUNCTIONS = FIRST.FUNCTIONS.replace(WARNING, HINTED)


def hint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS, params=None)


def unhint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FIRST.FUNCTIONS, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_month_partition_schedule")]

    operations = [migrations.RunPython(hint, unhint)]
