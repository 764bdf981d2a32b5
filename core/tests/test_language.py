from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def test_pages_are_chinese_even_for_an_english_browser(client, db):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_user_can_switch_to_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/login/"})
    response = client.get(reverse("admin:login"))
    assert "Log in" in response.content.decode()


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"))


def test_catalogues_are_complete():
    for language in ("zh_Hans", "en"):
        po = catalogue(language)
        assert len(po) > 50
        assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:10]
        assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:10]


def test_compiled_english_catalogue_is_in_use():
    with translation.override("en"):
        assert translation.gettext("网格") == "Grid"
        assert translation.gettext("退役军人网格化服务管理") == "Veteran Grid"
