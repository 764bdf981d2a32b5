"""No CDN, no internet: every script and stylesheet is the app's own static file."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)


def test_echarts_is_served_from_our_static_files():
    path = finders.find("vendor/echarts/echarts.min.js")
    assert path is not None and "node_modules" in path  # installed from the registry, not copied in
    assert Path(path).stat().st_size > 100_000


def test_no_template_loads_anything_from_another_host():
    offenders = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for template in Path(directory).rglob("*.html"):
            if EXTERNAL.search(template.read_text()):
                offenders.append(str(template))
    assert offenders == []
