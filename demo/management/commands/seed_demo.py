import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_authenticators_ensure
from appeals.demo import build_demo_appeals
from assistance.demo import build_demo_assistance
from confirmations.demo import build_demo_confirmations
from dashboard.demo import build_demo_history
from employment.demo import build_demo_employment
from grids.demo import NAMED_ACCOUNTS, build_demo_area, demo_exists
from honours.demo import build_demo_honours
from maps.demo import build_demo_maps
from merging.demo import build_demo_near_duplicates
from pairing.demo import build_demo_pairing
from party.demo import build_demo_party
from projects.demo import build_demo_projects
from referrals.demo import build_demo_referrals
from training.demo import build_demo_training
from transfers.demo import build_demo_transfers
from veterans.demo import build_demo_entitled, build_demo_veterans
from visits.demo import build_demo_visits
from wishes.demo import build_demo_wishes

# Options that add data (to a new area, or to an existing one).
ADDITIONS = (
    "veterans", "entitled", "visits", "cases", "appeals", "wishes", "confirmations", "transfers", "near_duplicates",
    "referrals", "honours", "training", "employment", "party", "service_projects", "pairing", "maps", "history",
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
            "--referrals",
            type=int,
            default=0,
            help="also add the service alliance, the providers and this many referrals (志愿服务与转介)",
        )
        parser.add_argument(
            "--service-projects",
            type=int,
            default=0,
            help="also add the service catalogue and this many service projects",
        )
        parser.add_argument(
            "--confirmations",
            action="store_true",
            help="also open this year's annual confirmation (年度确认) and confirm about 60%% of the recipients",
        )
        parser.add_argument(
            "--transfers", type=int, default=0, help="also add this many transfers (迁入迁出) between streets"
        )
        parser.add_argument(
            "--honours",
            action="store_true",
            help="also add honours: a decided 最美退役军人 round, an open 五好家属 round, 立功喜报 (some waiting)",
        )
        parser.add_argument(
            "--training",
            action="store_true",
            help="also add training providers and courses (技能培训) with enrolments, attendance and certificates",
        )
        parser.add_argument(
            "--employment",
            action="store_true",
            help="also register about 20%% of working-age people in the 就业创业 registry, with employers and fairs",
        )
        parser.add_argument(
            "--party",
            action="store_true",
            help="also add party organisations, memberships, follow-ups of pocket and mobile members and 三会一课",
        )
        parser.add_argument(
            "--pairing",
            action="store_true",
            help="also pair most key-group people one-to-one (一对一结对), with contacts and enterprise gifts",
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
        if options["referrals"]:
            made = build_demo_referrals(referrals=options["referrals"], seed=options["seed"])
            self.stdout.write(f"已生成服务联盟、服务机构名录与转介 {made} 件")
        if options["honours"]:
            made = build_demo_honours(seed=options["seed"])
            self.stdout.write(
                f"已生成评选表彰：推荐 {made.get('nominated', 0)} 人（当选 {made.get('selected', 0)} 人），"
                f"立功喜报已送达 {made.get('delivered', 0)} 份、待送达 {made.get('waiting', 0)} 份"
            )
        if options["training"]:
            made = build_demo_training(seed=options["seed"])
            self.stdout.write(f"已生成技能培训报名 {made} 人次（含出勤与证书）")
        if options["employment"]:
            made = build_demo_employment(seed=options["seed"])
            self.stdout.write(f"已生成就业创业实名登记 {made} 人（含合作企业、就业创业基地、招聘会与推荐就业）")
        if options["party"]:
            made = build_demo_party(seed=options["seed"])
            self.stdout.write(f"已生成党组织 {made} 个，及党员组织隶属、组织关系跟进和三会一课记录")
        if options["service_projects"]:
            made = build_demo_projects(projects=options["service_projects"], seed=options["seed"])
            self.stdout.write(f"已生成服务清单与服务项目 {made} 个")
        if options["pairing"]:
            made = build_demo_pairing(seed=options["seed"])
            self.stdout.write(
                f"已生成一对一结对 {made['pairs']} 对（结对走访 {made['contacts']} 次，企业帮扶 {made['gifts']} 次）"
            )
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
