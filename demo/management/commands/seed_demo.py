import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_authenticators_ensure
from appeals.demo import build_demo_appeals
from assistance.demo import build_demo_assistance
from confirmations.demo import build_demo_confirmations
from dashboard.demo import build_demo_history
from grids.demo import NAMED_ACCOUNTS, build_demo_area, demo_exists
from maps.demo import build_demo_maps
from merging.demo import build_demo_near_duplicates
from transfers.demo import build_demo_transfers
from veterans.demo import build_demo_entitled, build_demo_veterans
from visits.demo import build_demo_visits
from wishes.demo import build_demo_wishes

# Options that add data (to a new area, or to an existing one).
ADDITIONS = (
    "veterans", "entitled", "visits", "cases", "appeals", "wishes", "confirmations", "transfers", "near_duplicates",
    "maps", "history",
)  # fmt: skip


class Command(BaseCommand):
    help = "Build the demo area (Heping-shaped by default) with its staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic output)")
        parser.add_argument("--districts", type=int, default=1)
        parser.add_argument("--streets", type=int, default=6, help="streets per district")
        parser.add_argument("--communities", type=int, default=64, help="communities per district")
        parser.add_argument("--grids", type=int, default=629, help="grids per district")
        parser.add_argument("--workers-per-grid", type=int, default=2)
        parser.add_argument("--if-empty", action="store_true", help="do nothing (and succeed) when an area exists")
        parser.add_argument(
            "--veterans", type=int, default=0, help="also add this many demo veterans (to an existing area too)"
        )
        parser.add_argument(
            "--entitled",
            type=int,
            default=0,
            help="also add this many entitled persons who are not veterans (烈士遗属、军属…), with their soldiers",
        )
        parser.add_argument("--visits", type=int, default=0, help="also add this many demo visits to existing veterans")
        parser.add_argument("--cases", type=int, default=0, help="also add a relief fund and this many hardship cases")
        parser.add_argument("--appeals", type=int, default=0, help="also add this many appeals (诉求)")
        parser.add_argument("--wishes", type=int, default=0, help="also add this many micro-wishes (微心愿)")
        parser.add_argument(
            "--confirmations",
            action="store_true",
            help="also open this year's annual confirmation (年度确认) and confirm about 60%% of the recipients",
        )
        parser.add_argument(
            "--transfers", type=int, default=0, help="also add this many transfers (迁入迁出) between streets"
        )
        parser.add_argument(
            "--history",
            action="store_true",
            help="also take the dashboard's snapshots of the past 12 months (月度趋势), from the data above",
        )
        parser.add_argument(
            "--near-duplicates",
            type=int,
            default=0,
            help="also file this many second files by mistake and find the near-duplicate pairs (疑似重复档案)",
        )

        parser.add_argument(
            "--maps",
            action="store_true",
            help="also draw boundaries tiling every district (streets, communities, grids) and place the homes",
        )

    def handle(self, *args, **options):
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("演示区域已存在，跳过。")
                self._demo_authenticators()
                call_command("demo_logins", stdout=self.stdout)
                return
            if any(options[name] for name in ADDITIONS):
                self._add_veterans(options)
                return
            raise CommandError("数据库中已有区域数据；演示数据只能写入空数据库。")
        if not 1 <= options["districts"] <= 16:
            raise CommandError("--districts 必须在 1 到 16 之间。")
        started = time.monotonic()
        try:
            summary = build_demo_area(
                seed=options["seed"],
                districts=options["districts"],
                streets=options["streets"],
                communities=options["communities"],
                grids=options["grids"],
                workers_per_grid=options["workers_per_grid"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"已生成：区/县 {summary.districts}，街道 {summary.streets}，社区 {summary.communities}，"
            f"网格 {summary.grids}，账号 {summary.users}（{elapsed:.1f} 秒）"
        )
        if any(options[name] for name in ADDITIONS):
            self._add_veterans(options)
        self._demo_authenticators()
        call_command("demo_logins", stdout=self.stdout)

    def _demo_authenticators(self):
        demo_authenticators_ensure(username for username, _role, _label in NAMED_ACCOUNTS)

    def _add_veterans(self, options):
        if options["veterans"]:
            self._add_people(options)
        if options["entitled"]:
            # Before the visits, cases and appeals, which may then come to them as well.
            made = build_demo_entitled(count=options["entitled"], seed=options["seed"])
            self.stdout.write(f"已生成其他优抚对象 {made} 名（烈士遗属、因公牺牲/病故军人遗属、现役军人家属等）")
        if options["visits"]:
            self._add_visits(options)
        if options["cases"]:
            made = build_demo_assistance(cases=options["cases"], seed=options["seed"])
            self.stdout.write(f"已生成帮扶基金与困难救助 {made} 件")
        if options["appeals"]:
            made = build_demo_appeals(appeals=options["appeals"], seed=options["seed"])
            self.stdout.write(f"已生成问题诉求 {made} 件")
        if options["wishes"]:
            made = build_demo_wishes(wishes=options["wishes"], seed=options["seed"])
            self.stdout.write(f"已生成微心愿 {made} 个")
        if options["confirmations"]:
            confirmed, pending = build_demo_confirmations(seed=options["seed"])
            self.stdout.write(f"已开启本年度年度确认：已确认 {confirmed} 人，待确认 {pending} 人")
        if options["transfers"]:
            made = build_demo_transfers(transfers=options["transfers"], seed=options["seed"])
            self.stdout.write(
                f"已生成迁入迁出 {sum(made.values())} 笔（待接收 {made['pending']}，已接收 {made['accepted']}，"
                f"已退回 {made['rejected']}）"
            )
        if options["near_duplicates"]:
            found = build_demo_near_duplicates(pairs=options["near_duplicates"], seed=options["seed"])
            self.stdout.write(f"已生成疑似重复档案 {found} 对（待核查）")
        if options["maps"]:
            started = time.monotonic()
            areas, homes = build_demo_maps(seed=options["seed"])
            self.stdout.write(f"已生成区域边界 {areas} 个、住址定位 {homes} 个（{time.monotonic() - started:.1f} 秒）")
        if options["history"]:  # last: from everything the options above added
            started = time.monotonic()
            rows = build_demo_history()
            self.stdout.write(f"已生成看板近12个月的统计快照 {rows} 条（{time.monotonic() - started:.1f} 秒）")

    def _add_visits(self, options):
        started = time.monotonic()
        total = options["visits"]

        def progress(done):
            if done % 1_000_000 == 0 or done == total:
                self.stdout.write(
                    f"  走访记录 {done}/{total}（{done / max(time.monotonic() - started, 0.001):.0f} 条/秒）"
                )

        created = build_demo_visits(count=total, seed=options["seed"], progress=progress)
        self.stdout.write(f"已生成走访记录 {created} 条（{time.monotonic() - started:.1f} 秒）")

    def _add_people(self, options):
        started = time.monotonic()
        total = options["veterans"]

        def progress(done):
            if done % 100_000 == 0 or done == total:
                rate = done / max(time.monotonic() - started, 0.001)
                self.stdout.write(f"  退役军人 {done}/{total}（{rate:.0f} 条/秒）")

        created = build_demo_veterans(count=total, seed=options["seed"], progress=progress)
        self.stdout.write(f"已生成退役军人 {created} 名（{time.monotonic() - started:.1f} 秒）")
