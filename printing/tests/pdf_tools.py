"""Reading the PDFs back as a person's viewer would: poppler's pdftotext, pdffonts and pdfinfo
(Debian `poppler-utils`, installed by .ci/run)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from conftest import require_service


def _poppler(tool: str, content: bytes, *args: str) -> str:
    require_service(
        "poppler-utils", shutil.which(tool) is not None, f"{tool} not found (apt-get install poppler-utils)"
    )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            [tool, *args, handle.name, *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout


def pdf_text(content: bytes) -> str:
    return _poppler("pdftotext", content, "-layout")


def pdf_fonts(content: bytes) -> list[dict]:
    """pdffonts' table: name, type and whether each font is embedded."""
    lines = _poppler("pdffonts", content).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name, type (1 or 2 words), encoding, emb, sub, uni, object, id
        fonts.append({"name": parts[0], "embedded": parts[-5] == "yes", "line": line})
    return fonts


def pdf_pages(content: bytes) -> int:
    for line in _poppler("pdfinfo", content).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def save_first_page_png(content: bytes, target: Path) -> None:
    """The first page as a PNG under test-results/ (for people to look at), when pdftoppm exists."""
    if shutil.which("pdftoppm") is None:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        stem = str(target.with_suffix(""))
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", handle.name, stem],
            check=True,
            timeout=60,
        )
