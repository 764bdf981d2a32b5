from django.urls import reverse
from django.utils import timezone

from core.masking import mask_id_number
from veterans.tests.factories import make_veteran
from wishes.models import WishStatus
from wishes.tests.factories import image_upload, make_wish


def test_station_claims_a_wish_on_its_desk_page(client, tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"], name="王德胜"), people, upto="published")
    client.force_login(people["station"])
    page = client.get(reverse("wishes:detail", args=[wish.pk])).content.decode()
    assert "王德胜" in page and 'data-step="claim"' in page and 'data-step="cancel"' in page
    assert 'data-step="fulfil"' not in page and 'name="donor_name"' in page and 'name="reason"' in page
    response = client.post(
        reverse("wishes:step", args=[wish.pk, "claim"]),
        {
            "donor_kind": "person",
            "donor_name": "李女士",
            "donor_phone": "13900001111",
            "claimed_on": timezone.localdate(),
        },
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.donor_name, wish.donor_phone) == (WishStatus.CLAIMED, "李女士", "13900001111")


def test_station_fulfils_and_confirms_and_a_refused_cancel_says_why_and_changes_nothing(client, tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    client.force_login(people["station"])
    client.post(
        reverse("wishes:step", args=[wish.pk, "fulfil"]),
        {"fulfilled_on": timezone.localdate(), "photo": image_upload()},
    )
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.photo
    client.post(reverse("wishes:step", args=[wish.pk, "confirm"]))
    wish.refresh_from_db()
    assert wish.status == WishStatus.CONFIRMED
    response = client.post(reverse("wishes:step", args=[wish.pk, "cancel"]), {"reason": "不要了"}, follow=True)
    assert "当前状态为“已确认（销号）”" in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.CONFIRMED and wish.cancel_reason == ""


def test_a_fulfil_form_without_a_photo_is_refused(client, tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    client.force_login(people["station"])
    response = client.post(
        reverse("wishes:step", args=[wish.pk, "fulfil"]), {"fulfilled_on": timezone.localdate()}, follow=True
    )
    assert "实现照片：" in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and not wish.photo


def test_desk_page_photo_and_steps_of_another_street_are_404(client, tree, people):
    other = make_wish(make_veteran(tree["grid_b11"], name="乙街老兵"), people, upto="fulfilled")
    client.force_login(people["station"])
    assert client.get(reverse("wishes:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("wishes:photo", args=[other.pk])).status_code == 404
    assert client.post(reverse("wishes:step", args=[other.pk, "confirm"])).status_code == 404
    other.refresh_from_db()
    assert other.status == WishStatus.FULFILLED


def test_the_photo_is_served_in_scope_as_jpeg(client, tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="fulfilled")
    client.force_login(people["station"])
    response = client.get(reverse("wishes:photo", args=[wish.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_coverage_page_shows_the_figures_and_who_is_missed(client, tree, people, korean_war_veteran):
    make_wish(korean_war_veteran("grid_a11", name="有心愿"), people)
    missed = korean_war_veteran("grid_a12", name="漏掉的老兵")
    korean_war_veteran("grid_b11", name="乙街老兵")
    client.force_login(people["station"])
    response = client.get(reverse("wishes:coverage"), {"category": "korean_war"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<strong id="fig-target">2</strong>' in body and '<strong id="fig-missed">1</strong>' in body
    assert "漏掉的老兵" in body and "有心愿" not in body.split('id="missing"')[1] and "乙街老兵" not in body
    assert missed.id_number not in body and mask_id_number(missed.id_number) in body
    narrowed = client.get(reverse("wishes:coverage"), {"area": tree["community_a1"].pk}).content.decode()
    assert '<strong id="fig-target">2</strong>' in narrowed  # a1 holds both grids a11 and a12
    foreign = client.get(reverse("wishes:coverage"), {"area": tree["community_b1"].pk}).content.decode()
    assert "乙街老兵" not in foreign  # an area outside the scope is ignored, not shown


def test_coverage_page_runs_a_bounded_number_of_queries(
    client, tree, people, korean_war_veteran, django_assert_max_num_queries
):
    for index in range(15):
        korean_war_veteran(f"grid_a{index % 2 + 1}1", name=f"老兵{index}")
    client.force_login(people["station"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("wishes:coverage"))
    assert response.status_code == 200 and response.content.decode().count("老兵") >= 15


def test_grid_worker_without_permission_cannot_see_a_wish_desk_page(client, tree, people):
    from grids.tests.factories import make_staff

    wish = make_wish(make_veteran(tree["grid_a11"]), people)
    system_admin = make_staff(tree["district"], role="system_admin")
    client.force_login(system_admin)
    assert client.get(reverse("wishes:detail", args=[wish.pk])).status_code == 403
    assert client.get(reverse("wishes:coverage")).status_code == 403
