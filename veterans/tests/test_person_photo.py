"""A person's photo: judged by content, re-encoded without location data, shown only through the
file's scope, and printed on the archive card."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.models import VeteranChange
from veterans.services import veteran_set_photo
from veterans.tests.factories import make_veteran


def photo_upload(name="照片.jpg", size=(600, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (120, 80, 60))
    exif = Image.Exif()
    exif[0x010F] = "SomePhone"  # camera make: metadata that must not be kept
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def station(tree):
    return make_staff(tree["street_a"], role=Role.STATION_STAFF)


def test_the_photo_is_kept_without_its_metadata_and_the_history_says_so(tree, station):
    person = make_veteran(tree["grid_a11"])
    veteran_set_photo(veteran=person, upload=photo_upload(), acting_user=station)
    person.refresh_from_db()
    with person.photo.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    assert VeteranChange.objects.get(veteran=person, field="photo").new_value == "已更新"


def test_a_file_that_is_no_picture_is_refused(tree, station):
    person = make_veteran(tree["grid_a11"])
    fake = SimpleUploadedFile("照片.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ApplicationError) as error:
        veteran_set_photo(veteran=person, upload=fake, acting_user=station)
    assert error.value.field == "photo_upload"
    person.refresh_from_db()
    assert not person.photo


def test_the_photo_is_served_only_within_the_scope(client, tree, station):
    person = make_veteran(tree["grid_a11"])
    veteran_set_photo(veteran=person, upload=photo_upload(), acting_user=station)
    client.force_login(station)
    response = client.get(reverse("veteran_photo", args=[person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(make_staff(tree["street_b"], role=Role.STATION_STAFF))
    assert client.get(reverse("veteran_photo", args=[person.pk])).status_code == 404


def test_the_admin_form_takes_the_photo_with_the_file(client, tree, station):
    person = make_veteran(tree["grid_a11"])
    client.force_login(station)
    url = reverse("admin:veterans_veteran_change", args=[person.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "photo_upload"}
    for prefix in ("priority_care", "family", "honours"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    inline_prefixes = [formset.formset.prefix for formset in page.context["inline_admin_formsets"]]
    data |= {f"{p}-TOTAL_FORMS": "0" for p in inline_prefixes} | {f"{p}-INITIAL_FORMS": "0" for p in inline_prefixes}
    data["photo_upload"] = photo_upload()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    person.refresh_from_db()
    assert person.photo
    assert f"/veterans/{person.pk}/photo/" in client.get(url).content.decode()  # shown on the page


def test_the_archive_card_prints_the_photo(client, tree, station):
    person = make_veteran(tree["grid_a11"])
    client.force_login(station)
    without = client.get(reverse("printing:archive", args=[person.pk])).content
    veteran_set_photo(veteran=person, upload=photo_upload(), acting_user=station)
    with_photo = client.get(reverse("printing:archive", args=[person.pk])).content
    assert b"/Subtype /Image" not in without and b"/Subtype /Image" in with_photo
