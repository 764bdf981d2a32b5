from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """Compile the project's .po catalogues to .mo without needing GNU gettext installed.

    `make run` must work on a machine that has only Python, so polib does what msgfmt would.
    """

    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python)."

    def handle(self, *args, **options):
        count = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
                self.stdout.write(f"compiled {po_path} ({catalogue.percent_translated()}% translated)")
        if count == 0:
            self.stderr.write("no .po files found")
