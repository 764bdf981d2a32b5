from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET
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
        self.stdout.write(
            "局领导、服务站工作人员、系统管理员登录后还须输入动态验证码（双因素认证）。演示账号共用公开的演示密钥 "
            f"{DEMO_TOTP_SECRET}（可添加到手机身份验证器）；当前验证码由 `python manage.py demo_otp_code` 打印，"
            "DEBUG 模式下验证页面上也会显示。"
        )
