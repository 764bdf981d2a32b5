from django.urls import reverse
from django.utils import timezone
from PIL import Image

from veterans.tests.factories import make_veteran
from wishes.models import MicroWish, WishStatus
from wishes.tests.factories import image_upload, make_wish


def test_worker_records_a_wish_from_the_veteran_card(client, tree, people):
    veteran = make_veteran(tree["grid_a11"], name="王德胜")
    client.force_login(people["worker"])
    card = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    url = reverse("wishes_mobile:new", args=[veteran.pk])
    assert url in card and "记录心愿" in card
    response = client.post(url, {"title": "与战友家属视频通话", "description": "", "estimated_value": "0"})
    wish = MicroWish.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("wishes_mobile:detail", args=[wish.pk])
    assert (wish.veteran, wish.status, wish.collected_by) == (veteran, WishStatus.COLLECTED, people["worker"])


def test_the_wish_form_shows_the_services_refusal_and_saves_nothing(client, tree, people):
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(people["worker"])
    url = reverse("wishes_mobile:new", args=[veteran.pk])
    client.post(url, {"title": "一台新轮椅", "estimated_value": "1800"})
    response = client.post(url, {"title": "一台新轮椅", "estimated_value": "1800"})
    assert response.status_code == 200 and "同名" in response.content.decode()
    response = client.post(url, {"title": "汽车", "estimated_value": "90000"})
    assert response.status_code == 200 and "20000.00 元" in response.content.decode()
    assert MicroWish.objects.count() == 1


def test_another_grids_veteran_and_wish_are_404_on_the_phone(client, tree, people):
    other_veteran = make_veteran(tree["grid_a12"])
    other_wish = make_wish(make_veteran(tree["grid_b11"]), people, upto="claimed")
    client.force_login(people["worker"])
    new = reverse("wishes_mobile:new", args=[other_veteran.pk])
    assert client.get(new).status_code == 404
    assert client.post(new, {"title": "轮椅", "estimated_value": "1"}).status_code == 404
    assert client.get(reverse("wishes_mobile:detail", args=[other_wish.pk])).status_code == 404
    fulfil = reverse("wishes_mobile:fulfil", args=[other_wish.pk])
    response = client.post(fulfil, {"fulfilled_on": timezone.localdate(), "photo": image_upload()})
    assert response.status_code == 404
    other_wish.refresh_from_db()
    assert other_wish.status == WishStatus.CLAIMED and MicroWish.objects.count() == 1


def test_worker_follows_the_wishes_of_their_grid(client, tree, people):
    make_wish(make_veteran(tree["grid_a11"], name="本网格老兵"), people, upto="claimed")
    make_wish(make_veteran(tree["grid_a12"], name="邻网格老兵"), people)
    client.force_login(people["worker"])
    listing = client.get(reverse("wishes_mobile:list")).content.decode()
    assert "本网格老兵" in listing and "已认领" in listing and "津门爱心企业" in listing and "¥1,800.00" in listing
    assert "邻网格老兵" not in listing


def test_worker_records_the_fulfilment_with_a_photo(client, tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    client.force_login(people["worker"])
    page = client.get(reverse("wishes_mobile:detail", args=[wish.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and reverse("wishes_mobile:fulfil", args=[wish.pk]) in page
    response = client.post(
        reverse("wishes_mobile:fulfil", args=[wish.pk]),
        {"fulfilled_on": timezone.localdate(), "note": "轮椅已送到家", "photo": image_upload("p.jpg", with_exif=True)},
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.fulfilment_note, wish.fulfilled_by) == (
        WishStatus.FULFILLED,
        "轮椅已送到家",
        people["worker"],
    )
    with wish.photo.open("rb") as stored, Image.open(stored) as picture:
        assert not picture.getexif()
    page = client.get(reverse("wishes_mobile:detail", args=[wish.pk])).content.decode()
    assert reverse("wishes:photo", args=[wish.pk]) in page and "fulfil-form" not in page


def test_a_collected_wish_offers_no_fulfil_form_and_refuses_one(client, tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people)
    client.force_login(people["worker"])
    assert "fulfil-form" not in client.get(reverse("wishes_mobile:detail", args=[wish.pk])).content.decode()
    response = client.post(
        reverse("wishes_mobile:fulfil", args=[wish.pk]),
        {"fulfilled_on": timezone.localdate(), "photo": image_upload()},
        follow=True,
    )
    assert "当前状态为“已收集”" in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.COLLECTED and not wish.photo


def test_wish_list_runs_a_bounded_number_of_queries(client, tree, people, django_assert_max_num_queries):
    for index in range(10):
        make_wish(make_veteran(tree["grid_a11"], name=f"老兵{index}"), people, upto="published")
    client.force_login(people["worker"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("wishes_mobile:list"))
    assert response.content.decode().count("老兵") >= 10
