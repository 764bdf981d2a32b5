"""The workbench's registry (core.workbench): sections are asked for their permission first,
called in their order, and left out when they have nothing to show."""

import datetime

import pytest

from core import workbench
from core.workbench import Todo, TodoSection, list_url, register_todos, todos_for

TODAY = datetime.date(2026, 12, 7)


class Reader:
    """A user who holds exactly the given permissions."""

    def __init__(self, *permissions):
        self.permissions = set(permissions)

    def has_perm(self, permission):
        return permission in self.permissions


@pytest.fixture
def sections(monkeypatch):
    monkeypatch.setattr(workbench, "_SECTIONS", {})
    calls = []

    def counted(name, lines):
        def todos(*, user, today):
            calls.append(name)
            return lines

        return todos

    register_todos(TodoSection("late", "超期", "app.view_late", counted("late", [Todo("甲", 2, "/a/")]), order=20))
    register_todos(TodoSection("first", "首要", "app.view_first", counted("first", [Todo("乙", 0, "/b/")]), order=10))
    register_todos(TodoSection("empty", "无事", "app.view_first", counted("empty", []), order=30))
    return calls


def test_sections_come_in_their_order_and_empty_ones_are_left_out(sections):
    blocks = todos_for(Reader("app.view_late", "app.view_first"), today=TODAY)
    assert [block.key for block in blocks] == ["first", "late"]
    assert blocks[1].todos == [Todo("甲", 2, "/a/")]


def test_a_section_the_user_may_not_view_is_never_called(sections):
    assert [block.key for block in todos_for(Reader("app.view_late"), today=TODAY)] == ["late"]
    assert sections == ["late"]


def test_registering_twice_keeps_one_section(sections):
    register_todos(TodoSection("late", "超期", "app.view_late", lambda **kw: [], order=20))
    assert len(workbench.todo_sections()) == 3


def test_list_url_leaves_out_empty_filters():
    assert list_url("admin:index", waiting="review", grid=None) == "/admin/?waiting=review"
    assert list_url("admin:index") == "/admin/"
