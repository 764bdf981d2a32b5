"""Demo micro-wishes for `make run`: Korean War veterans first (most of them, not all — the coverage
page then has someone to find), in every state, written through the real services."""

import datetime
import io
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef
from django.utils import timezone
from PIL import Image

from grids.models import District, Role, StaffProfile
from veterans.models import LifeStatus, PriorityCare, Veteran
from wishes.models import MicroWish
from wishes.services import wish_cancel, wish_claim, wish_collect, wish_confirm, wish_fulfil, wish_publish

WISHES = [
    ("与战友家属视频通话", 0), ("一台新轮椅", 1800), ("去烈士陵园祭扫战友", 300), ("一台助听器", 2500),
    ("拍一张全家福", 600), ("一副老花镜", 200), ("参观抗美援朝纪念馆", 500), ("一台制氧机", 3200),
    ("家里装上扶手和防滑垫", 800), ("给老伴买一件羽绒服", 400), ("重温入党誓词", 0), ("一部大字老人手机", 350),
]  # fmt: skip
DONORS = [
    ("enterprise", "津门爱心企业", "022-23456789"),
    ("person", "李女士", "13900001111"),
    ("organisation", "和平区志愿者协会", ""),
    ("anonymous", "", ""),
]
# How far each demo wish gets, with its weight.
ENDINGS = [("collected", 2), ("published", 2), ("claimed", 2), ("fulfilled", 2), ("confirmed", 4), ("cancelled", 1)]
ORDER = ["collected", "published", "claimed", "fulfilled", "confirmed"]


def _station_user(district):
    user = get_user_model().objects.filter(username="center_staff").first()
    if user is not None:
        return user
    profile = StaffProfile.objects.filter(role=Role.STATION_STAFF, district=district).select_related("user").first()
    return profile.user if profile else None


def _worker_for(veteran, fallback):
    profile = StaffProfile.objects.filter(role=Role.GRID_WORKER, grids=veteran.grid_id).select_related("user").first()
    return profile.user if profile else fallback


def _photo(rng: random.Random) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), tuple(rng.randrange(256) for _ in range(3))).save(buffer, format="JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_demo_wishes(*, wishes: int, seed: int) -> int:
    """Up to `wishes` wishes in the first district, Korean War veterans first (about 4 in 5 of them)."""
    rng = random.Random(seed)
    district = District.objects.order_by("id").first()
    station = _station_user(district) if district else None
    if station is None:
        return 0
    korean_war = PriorityCare.objects.filter(veteran_id=OuterRef("pk"), category="korean_war")
    living = Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
    living = living.exclude(Exists(MicroWish.objects.filter(veteran_id=OuterRef("pk")))).select_related("grid")
    veterans = list(living.filter(Exists(korean_war)).order_by("id")[:wishes])
    veterans = [v for v in veterans if rng.random() < 0.8]  # leave some out for the coverage page to find
    if len(veterans) < wishes:
        others = list(living.exclude(Exists(korean_war)).order_by("id")[: wishes * 3])
        veterans += rng.sample(others, min(len(others), wishes - len(veterans)))
    endings = [name for name, weight in ENDINGS for _ in range(weight)]
    today = timezone.localdate()
    for veteran in veterans[:wishes]:
        worker = _worker_for(veteran, station)
        title, value = rng.choice(WISHES)
        collected_on = today - datetime.timedelta(days=rng.randint(30, 120))
        wish = wish_collect(
            veteran=veteran,
            title=title,
            description="走访中老兵提出（演示数据）",
            estimated_value=Decimal(value),
            collected_on=collected_on,
            acting_user=worker,
        )
        ending = rng.choice(endings)
        if ending == "cancelled":
            wish_cancel(wish=wish, reason="老兵家属已自行解决", acting_user=station)
            continue
        steps = ORDER[1 : ORDER.index(ending) + 1]
        claimed_on = collected_on + datetime.timedelta(days=rng.randint(3, 15))
        for step in steps:
            if step == "published":
                wish_publish(wish=wish, acting_user=station)
            elif step == "claimed":
                kind, name, phone = rng.choice(DONORS)
                wish_claim(
                    wish=wish,
                    donor_kind=kind,
                    donor_name=name,
                    donor_phone=phone,
                    claimed_on=claimed_on,
                    acting_user=station,
                )
            elif step == "fulfilled":
                fulfilled_on = min(claimed_on + datetime.timedelta(days=rng.randint(2, 20)), today)
                wish_fulfil(
                    wish=wish,
                    fulfilled_on=fulfilled_on,
                    note="心愿已送到老兵手中",
                    photo=_photo(rng),
                    acting_user=worker,
                )
            elif step == "confirmed":
                wish_confirm(wish=wish, acting_user=station)
    return min(len(veterans), wishes)
