"""The Chinese font every PDF embeds: a TrueType file on this machine, never fetched at run time.

ReportLab embeds TrueType outlines (a subset of the glyphs used), not the CFF outlines of
Noto/Source Han OpenType fonts, so the default is WenQuanYi Micro Hei (Debian package
`fonts-wqy-microhei`). `PRINT_FONT_PATH` names another .ttf/.ttc; without it fontconfig is asked
for the family, then the Debian path is tried.
"""

import functools
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "VGSans"
FAMILY = "WenQuanYi Micro Hei"
DEBIAN_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
INSTALL_HINT = "apt-get install fonts-wqy-microhei (or set PRINT_FONT_PATH to a TrueType CJK font)"


def _fontconfig_path() -> Path | None:
    if shutil.which("fc-list") is None:
        return None
    try:
        listed = subprocess.run(  # noqa: S603 - fixed arguments; fc-list found on PATH as any tool
            ["fc-list", f":family={FAMILY}", "file"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
    return Path(files[0]) if files else None


def font_path() -> Path | None:
    """Where the font file is, or None when it is not installed."""
    configured = getattr(settings, "PRINT_FONT_PATH", "")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    found = _fontconfig_path()
    if found is not None and found.is_file():
        return found
    return DEBIAN_PATH if DEBIAN_PATH.is_file() else None


@functools.cache
def register_font() -> str:
    """Register the font with ReportLab once per process; its name for the styles."""
    path = font_path()
    if path is None:
        raise ImproperlyConfigured(f"No Chinese TrueType font for PDFs: {INSTALL_HINT}")
    # A .ttc collection holds several faces: the first is the proportional one.
    face = (
        TTFont(FONT_NAME, str(path), subfontIndex=0) if path.suffix.lower() == ".ttc" else TTFont(FONT_NAME, str(path))
    )
    pdfmetrics.registerFont(face)
    return FONT_NAME
