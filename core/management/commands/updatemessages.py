from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORE = [".venv", "node_modules", "staticfiles", "test-results", "var", "bench"]


class Command(BaseCommand):
    """Extract strings for zh_Hans and en, and fill the zh_Hans catalogue.

    Source strings are written in Chinese, so the zh_Hans translation of each is itself; the
    English catalogue is translated by hand and this command lists what is still missing.
    Locations name files, not lines, so moving code does not rewrite the catalogues.
    """

    help = "makemessages for zh_Hans and en; zh_Hans filled from the source; list missing English."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=["zh_Hans", "en"],
            ignore_patterns=IGNORE,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
        locale_dir = Path(settings.BASE_DIR) / "locale"
        chinese = polib.pofile(str(locale_dir / "zh_Hans/LC_MESSAGES/django.po"))
        for entry in chinese:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        chinese.save()
        english = polib.pofile(str(locale_dir / "en/LC_MESSAGES/django.po"))
        missing = [e.msgid for e in english.untranslated_entries() + english.fuzzy_entries()]
        for msgid in missing:
            self.stdout.write(f"untranslated (en): {msgid}")
        self.stdout.write(f"{len(chinese)} strings; {len(missing)} English translations missing")
