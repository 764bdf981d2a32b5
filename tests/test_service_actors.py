"""Every write names who acts, and naming nobody gets round no check (issue 16).

The services modules of every project app are found from the source: `<app>/services.py`,
`<app>/*_services.py`, every module of an `<app>/services/` package, and the write paths by
another name in OTHER_SERVICE_MODULES. A public function defined there that takes an actor
(`acting_user`, or `actor`) takes it as a keyword, with no default, and refuses None before it
reads anything else (grids.scoping.require_actor). A program passes grids.scoping.SYSTEM.

A public function there that takes no actor is a read, and belongs in the app's selectors.py,
or it is listed in NO_ACTOR with the reason it needs none.
"""

import importlib
import inspect
from pathlib import Path

import pytest
from django.apps import apps

from audit.models import AuditAction, AuditEvent
from grids.models import the_city
from grids.scoping import SYSTEM, MissingActorError, in_scope
from grids.tests.factories import GridFactory
from veterans.models import Veteran
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran

ROOT = Path(__file__).resolve().parent.parent
ACTOR_NAMES = ("acting_user", "actor")

# Write paths whose module is not named for services.
OTHER_SERVICE_MODULES = ("grids/area_import.py",)

# (app, function): why it takes no actor. Keyed by app, not module, so that a module split into a
# services/ package keeps its entries.
NO_ACTOR = {
    ("audit", "client_ip"): "the request's address, read for the audit row being written",
    ("grids", "copy_ancestor_keys"): "sets a new area's keys in memory; shared by area_create and the area import",
    ("grids", "area_import_template"): "the blank workbook of the area import: no data, no one's act",
    ("veterans", "validate_veteran"): "one record's rules, in memory; shared with the ledger import",
    ("veterans", "veteran_problems"): "one record's rules, each problem in turn, in memory; the ledger import's",
    ("veterans", "note_month_only_dates"): "one record's rules, in memory; shared with the ledger import",
    ("veterans", "derive_fields"): "one record's rules, in memory; shared with the ledger import",
    ("veterans", "validate_source_soldier"): "one soldier's rules, in memory; shared with the ledger import",
    ("veterans", "veteran_import_validate"): "Celery job: acts as the uploader stored on the import",
    ("veterans", "veteran_import_commit"): "Celery job: acts as the uploader stored on the import",
    ("veterans", "veteran_imports_expire"): "Celery housekeeping: removes expired uploads, no one's act",
    ("printing", "print_batch_build"): "Celery job: acts as the requester stored on the batch",
    ("printing", "print_batches_expire"): "Celery housekeeping: removes expired batch PDFs, no one's act",
    ("exports", "ledger_response"): "an admin action's answer: acts as request.user (the file, or export_start)",
    ("exports", "export_build"): "Celery job: acts as the requester stored on the export job",
    ("exports", "export_failed"): "Celery job's failure, kept on the job for its requester",
}

# (app, function): an actor that may be nobody, and why.
ACTOR_MAY_BE_NOBODY = {
    ("audit", "audit_record"): "the audit sink: a failed login by an unknown name, a backup, have no actor",
    ("audit", "audit_event"): "the audit sink: a failed login by an unknown name, a backup, have no actor",
}


def _project_apps():
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent == ROOT:
            yield config.label, path


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _service_files(app_path: Path):
    yield from app_path.glob("services.py")
    yield from app_path.glob("*_services.py")
    yield from (app_path / "services").rglob("*.py")
    for other in OTHER_SERVICE_MODULES:
        if (ROOT / other).parent == app_path and (ROOT / other).exists():
            yield ROOT / other


def service_modules() -> list[tuple[str, str]]:
    """(app label, module name) of every services module of the project's apps."""
    found = set()
    for label, app_path in _project_apps():
        for path in _service_files(app_path):
            found.add((label, _module_name(path)))
    return sorted(found)


def public_functions() -> list[tuple[str, str, object]]:
    """(app label, qualified name, function) of every public function a services module defines."""
    found = []
    for label, module_name in service_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if inspect.unwrap(value).__module__ != module_name:
                continue  # imported, checked where it is defined
            found.append((label, f"{module_name}.{name}", value))
    return found


def _actor_parameter(function) -> inspect.Parameter | None:
    parameters = inspect.signature(function).parameters
    return next((parameters[name] for name in ACTOR_NAMES if name in parameters), None)


FUNCTIONS = public_functions()
WRITES = [(label, name, f) for label, name, f in FUNCTIONS if _actor_parameter(f) is not None]
STRICT_WRITES = [
    (label, name, f) for label, name, f in WRITES if (label, name.rsplit(".", 1)[1]) not in ACTOR_MAY_BE_NOBODY
]
OTHERS = [(label, name, f) for label, name, f in FUNCTIONS if _actor_parameter(f) is None]


def test_services_are_found_in_every_shape():
    modules = {module for _label, module in service_modules()}
    assert {"veterans.services", "veterans.import_services", "grids.services", "grids.area_import"} <= modules
    names = {name for _label, name, _f in WRITES}
    assert {"veterans.services.veteran_update", "grids.area_import.area_tree_import"} <= names
    assert not any(".tests." in module for module in modules)


@pytest.mark.parametrize(("label", "name", "function"), WRITES, ids=[name for _label, name, _f in WRITES])
def test_the_actor_is_a_keyword(label, name, function):
    assert _actor_parameter(function).kind == inspect.Parameter.KEYWORD_ONLY, f"{name}: put the actor after *"


@pytest.mark.parametrize(("label", "name", "function"), STRICT_WRITES, ids=[n for _l, n, _f in STRICT_WRITES])
def test_the_actor_has_no_default(label, name, function):
    assert _actor_parameter(function).default is inspect.Parameter.empty, (
        f"{name}: the actor must be given (a program passes grids.scoping.SYSTEM)"
    )


class _Untouched:
    """Stands for every other argument: the actor is refused before any of them is read."""


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name", "function"), STRICT_WRITES, ids=[n for _l, n, _f in STRICT_WRITES])
def test_no_actor_is_refused_before_anything_else(label, name, function):
    actor = _actor_parameter(function)
    args, kwargs = [], {actor.name: None}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name == actor.name or parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind == inspect.Parameter.POSITIONAL_ONLY:
            args.append(_Untouched())
        elif parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            kwargs[parameter.name] = _Untouched()
    try:
        function(*args, **kwargs)
    except MissingActorError:
        return
    except Exception as error:
        pytest.fail(f"{name} raised {error!r} with {actor.name}=None: call grids.scoping.require_actor first")
    pytest.fail(f"{name} accepted {actor.name}=None")


def test_public_functions_without_an_actor_are_reads_moved_out_or_listed():
    unlisted = [name for label, name, _f in OTHERS if (label, name.rsplit(".", 1)[1]) not in NO_ACTOR]
    assert unlisted == [], "a read belongs in selectors.py; anything else goes in NO_ACTOR with its reason"


def test_system_acts_everywhere_and_is_named_in_the_audit_and_history(db):
    grid = GridFactory()
    assert in_scope(SYSTEM, grid) and in_scope(SYSTEM, the_city())
    veteran = make_veteran(grid, acting_user=SYSTEM)
    veteran_update(veteran=veteran, skills="木工", acting_user=SYSTEM)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(veteran.pk))
    assert (event.actor, event.actor_username) == (None, "system")
    assert veteran.changes.get(field="skills").actor is None


def test_none_is_refused_where_it_used_to_skip_the_scope_check(db):
    veteran = make_veteran()
    with pytest.raises(MissingActorError):
        veteran_update(veteran=veteran, skills="木工", acting_user=None)
    with pytest.raises(MissingActorError):
        in_scope(None, veteran)
    veteran.refresh_from_db()
    assert veteran.skills == ""
    assert not Veteran.objects.filter(changes__field="skills").exists()
