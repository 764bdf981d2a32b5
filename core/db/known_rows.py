"""A model instance of a row of which only a few columns are known.

`Model(pk=1, name=...)` fills every other field with its default, which costs a default lookup
per field (a file has some fifty) and leaves values that look read but are not. `known_row`
builds the instance as Django does for `.only()`: the columns given are set, the others are
deferred, so reading one of them loads it from the database instead of answering a default.
"""

from typing import TypeVar

from django.db.models import DEFERRED, Model

M = TypeVar("M", bound=Model)


def known_row(model: type[M], db: str | None, **columns) -> M:
    """An instance of `model` with `columns` (attnames: "grid_id", not "grid") set and the rest
    deferred. `db`: the alias the row was read from, or None for a reference not read at all."""
    names = list(columns)
    values = [columns.pop(field.attname, DEFERRED) for field in model._meta.concrete_fields]
    if columns:
        raise TypeError(f"{model.__name__} has no columns {sorted(columns)}")
    return model.from_db(db, names, values)
