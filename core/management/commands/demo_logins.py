from django.core.management.base import BaseCommand

from grids.demo import DEMO_PASSWORD, NAMED_ACCOUNTS
from grids.models import AreaLevel, StaffProfile


class Command(BaseCommand):
    help = "Print the demo login of each role."

    def handle(self, *args, **options):
        usernames = [username for username, _role, _label in NAMED_ACCOUNTS]
        profiles = {
            p.user.username: p
            for p in StaffProfile.objects.filter(user__username__in=usernames)
            .select_related("user", "district", "street", "community")
            .prefetch_related("grids")
        }
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}），管理后台 http://127.0.0.1:8000/admin/")
        for username, _role, label in NAMED_ACCOUNTS:
            profile = profiles.get(username)
            if profile is None:
                continue
            if profile.scope_level == AreaLevel.GRID:
                area = "、".join(g.name for g in profile.grids.all())
            else:
                area = str(profile.scope_area)
            self.stdout.write(f"  {username:<16} {label:<12} {area}")
