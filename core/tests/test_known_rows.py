"""known_row: an instance of a row of which only some columns are known."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.db.known_rows import known_row
from veterans.models import Veteran
from veterans.tests.factories import make_veteran


def test_the_columns_given_are_set_and_the_others_are_deferred():
    veteran = known_row(Veteran, "default", id=7, name="王德顺", grid_id=3)
    assert (veteran.pk, veteran.name, veteran.grid_id) == (7, "王德顺", 3)
    assert {"id", "name", "grid_id"}.isdisjoint(veteran.get_deferred_fields())
    assert {"phone", "birth_date", "life_status"} <= veteran.get_deferred_fields()
    assert not veteran._state.adding and veteran._state.db == "default"


def test_an_unknown_column_is_refused():
    with pytest.raises(TypeError, match="nickname"):
        known_row(Veteran, None, id=1, nickname="x")


@pytest.mark.django_db
def test_a_deferred_column_is_read_from_the_database_not_answered_with_a_default(tree):
    stored = make_veteran(tree["grid_a11"], name="李桂兰")
    veteran = known_row(Veteran, None, id=stored.pk, name=stored.name)
    with CaptureQueriesContext(connection) as queries:
        assert veteran.birth_date == stored.birth_date
    assert len(queries.captured_queries) == 1
