import time
from io import StringIO

from django.core.management import call_command

from honours.models import MeritNotice, Nomination, Selection


def test_demo_honours_cover_rounds_nominees_and_notices(db):
    call_command(
        "seed_demo", "--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "60", "--entitled", "40",
        stdout=StringIO(),
    )  # fmt: skip
    started = time.monotonic()
    out = StringIO()
    call_command("seed_demo", "--honours", stdout=out)
    assert time.monotonic() - started < 3
    assert "已生成评选表彰" in out.getvalue()
    assert set(Selection.objects.values_list("kind", "status")) == {
        ("most_beautiful", "announced"),
        ("five_good_family", "nominating"),
    }
    assert Nomination.objects.filter(status="selected").exists()
    assert Nomination.objects.filter(selection__kind="five_good_family", status="nominated").exists()
    assert MeritNotice.objects.filter(delivered_on__isnull=False).exists()
    assert MeritNotice.objects.filter(delivered_on__isnull=True).exists()
    assert not MeritNotice.objects.exclude(family__person_kind="serving_family").exists()
