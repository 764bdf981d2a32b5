"""The app floors (STYLE.md › Floors), read from the source with `ast`: an app imports only apps
on its own floor or below. Tests and migrations are left out: tests build worlds from above,
migrations name the apps their history needs."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Apps on one floor may import each other; `config` sits above all apps.
FLOORS: list[set[str]] = [
    {"core"},
    {"audit"},
    {"grids", "exports"},
    {"accounts", "veterans"},
    {"visits", "replays", "maps"},
    {"assistance", "appeals", "wishes", "confirmations"},
    # Services beyond relief: above relief, whose funds, cases and appeals they use.
    {"employment", "training", "projects", "party", "pairing", "referrals", "honours"},
    {"dashboard", "transfers", "merging", "offline", "printing"},
    {"demo", "backups"},
    {"config", "bench"},
]
FLOOR_OF = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def _source_files():
    for app in FLOOR_OF:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
                continue
            yield app, path


def _imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def upward_imports() -> list[str]:
    """Every import of a higher floor's app, as `path:line importer -> imported`."""
    found = []
    for app, path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in _imported_modules(tree):
            target = module.split(".")[0]
            if target in FLOOR_OF and FLOOR_OF[target] > FLOOR_OF[app]:
                found.append(f"{path.relative_to(ROOT)}:{line} {app} -> {module}")
    return found


if __name__ == "__main__":
    for row in upward_imports():
        print(row)
