"""The app floors hold (STYLE.md › Floors): no code outside tests and migrations imports an app
on a higher floor. A lower app that must reach up uses a registry filled in the higher app's
AppConfig.ready() (visits.card_actions, veterans.visit_schedule, core.notices)."""

from tests.floors import FLOOR_OF, ROOT, upward_imports


def test_no_app_imports_an_app_on_a_higher_floor():
    found = upward_imports()
    assert found == [], "Imports that run up the app floors (importer -> imported):\n" + "\n".join(found)


def test_every_installed_project_app_has_a_floor(settings):
    # An app missing from FLOORS would not be read at all.
    project_apps = [app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app).is_dir()]
    assert [app for app in project_apps if app not in FLOOR_OF] == []


def test_every_app_with_tests_is_in_the_test_paths():
    # `make test` runs pytest's testpaths only: an app left out would have its tests never run.
    import tomllib

    paths = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = [app for app in FLOOR_OF if (ROOT / app / "tests").is_dir()]
    assert [app for app in with_tests if app not in paths] == []
