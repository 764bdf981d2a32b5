from django.core.management.base import BaseCommand

from accounts.demo import demo_code


class Command(BaseCommand):
    help = "Print the current code of the demo accounts' public TOTP key (for `make run`)."

    def handle(self, *args, **options):
        self.stdout.write(demo_code())
