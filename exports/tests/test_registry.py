"""The net under "every admin ledger export runs through the exports app": each app's ledgers are
registered (a worker knows them by key), and no module writes a ledger in the request itself."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation

from exports.registry import _LEDGERS

# Files that may still call xlsx_download: the exports app's own direct path, and the
# dashboard's tables of figures (one row per area, fund or campaign: no queryset of rows; the
# every-grid statistics table has its own background job, dashboard.StatisticsExport).
DIRECT_WRITERS = {"exports/services.py", "dashboard/exports.py"}

LEDGER_KEYS = {
    "visits", "appeals", "wishes", "transfers", "confirmations", "assistance:cases", "assistance:fund_statement",
    "referrals", "referrals:volunteers", "projects", "honours:nominations", "honours:merit_notices", "training",
    "pairing", "employment", "party:members", "party:life", "audit",
    *(f"veterans:{key}" for key in (
        "classification", "pairing", "collection", "hardship", "party", "plaque", "martyr_survivors",
        "military_families",
    )),
}  # fmt: skip


def _calls_xlsx_download(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "xlsx_download":
                return True
    return False


def test_every_app_ledger_is_registered():
    assert set(_LEDGERS) == LEDGER_KEYS
    for key, ledger in _LEDGERS.items():
        assert ledger.key == key and ledger.title() and ledger.header_row()


def test_no_ledger_is_written_in_the_request_outside_the_exports_app():
    root = Path(settings.BASE_DIR)
    writers = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "node_modules", "var"} or "tests" in relative.parts:
            continue
        if "xlsx_download" in path.read_text(encoding="utf-8") and _calls_xlsx_download(path):
            writers.add(relative.as_posix())
    assert writers == DIRECT_WRITERS


def test_headers_are_translated_as_the_file_is_written_in_the_language_of_that_moment():
    visits = _LEDGERS["visits"]
    assert visits.header_names[0] == "走访时间"  # kept untranslated at import
    with translation.override("en"):
        english = visits.header_row()
    with translation.override("zh-hans"):
        chinese = visits.header_row()
    assert english[0] == "Visited at" and chinese[0] == "走访时间"
    assert len(english) == len(chinese) == len(visits.header_names)


def test_veterans_rolls_keep_the_chinese_headers_stations_exchange_in_any_language():
    with translation.override("en"):
        assert _LEDGERS["veterans:classification"].header_row()[0] == "姓名"
        assert _LEDGERS["wishes"].header_row()[1] == "Name"
