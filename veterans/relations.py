"""Every table that points at a person's file, found by its foreign key: apps added later are
found too. A merge re-points all of them; a transfer moves the area-keyed ones."""

from django.db import models

from grids.models import GridScopedModel
from veterans.models import Veteran


def person_references() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to Veteran, the through tables of many-to-many
    relations included; proxies are left out (their rows are their concrete model's)."""
    found = []
    # Hidden relations too (related_name="+"): a confirmation names its person without a way back.
    reverse = [f for f in Veteran._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for relation in reverse:
        if relation.many_to_many:
            through = relation.through
            found.extend(
                (through, field.name)
                for field in through._meta.fields
                if isinstance(field, models.ForeignKey) and field.related_model is Veteran
            )
        elif not relation.related_model._meta.proxy:
            found.append((relation.related_model, relation.field.name))
    return found


def area_keyed_references() -> list[tuple[type[models.Model], str]]:
    """The references whose rows carry the person's area keys (visits, events, cases, appeals,
    wishes...): they follow the person to a new grid."""
    return [
        (model, field)
        for model, field in person_references()
        if issubclass(model, GridScopedModel) and model._meta.get_field(field).many_to_one
    ]
