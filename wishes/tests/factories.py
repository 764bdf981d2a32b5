"""Wish test helpers: real pictures made with Pillow, and wishes brought to any status through
the real services."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grids.scoping import in_scope
from wishes import services

ORDER = ["collected", "published", "claimed", "fulfilled", "confirmed"]


def image_upload(name="wish.jpg", *, fmt="JPEG", with_exif=False) -> SimpleUploadedFile:
    """A small real picture; with_exif adds a camera make and GPS tag that must not survive."""
    buffer = io.BytesIO()
    picture = Image.new("RGB", (40, 30), (200, 30, 30))
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {2: (39.0, 7.0, 0.0)}  # GPSInfo: latitude
        picture.save(buffer, format=fmt, exif=exif)
    else:
        picture.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def make_wish(veteran, people, *, upto="collected", title="一台新轮椅", days_ago=10):
    """A wish of `veteran` taken through the real steps up to `upto` (or cancelled)."""
    today = timezone.localdate()
    station = next(people[k] for k in ("station", "station_b") if in_scope(people[k], veteran))
    worker = next((people[k] for k in ("worker", "worker_b") if in_scope(people[k], veteran)), station)
    wish = services.wish_collect(
        veteran=veteran,
        title=title,
        description="",
        estimated_value="1800",
        acting_user=worker,
        collected_on=today - datetime.timedelta(days=days_ago),
    )
    if upto == "cancelled":
        return services.wish_cancel(wish=wish, reason="家属已自行购买", acting_user=station)
    for step in ORDER[1 : ORDER.index(upto) + 1]:
        if step == "published":
            wish = services.wish_publish(wish=wish, acting_user=station)
        elif step == "claimed":
            wish = services.wish_claim(
                wish=wish,
                donor_kind="enterprise",
                donor_name="津门爱心企业",
                donor_phone="13900001111",
                claimed_on=today - datetime.timedelta(days=days_ago // 2),
                acting_user=station,
            )
        elif step == "fulfilled":
            wish = services.wish_fulfil(
                wish=wish, fulfilled_on=today, note="已送到", photo=image_upload(), acting_user=worker
            )
        elif step == "confirmed":
            wish = services.wish_confirm(wish=wish, acting_user=station)
    return wish
