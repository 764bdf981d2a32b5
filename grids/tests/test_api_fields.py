"""ScopedPrimaryKeyRelatedField: an id outside the caller's area is refused exactly as an id that
does not exist, and without a caller nothing can be chosen."""

from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import Grid
from grids.tests.factories import make_staff


class GridChoice(serializers.Serializer):
    grid = ScopedPrimaryKeyRelatedField(queryset=Grid.objects.all())
    named = ScopedPrimaryKeyRelatedField(queryset=Grid.objects.all(), scoped=lambda *, user: Grid.objects.none())


def _errors(user, data):
    request = APIRequestFactory().post("/")
    request.user = user
    serializer = GridChoice(data=data, context={"request": request}, partial=True)
    return None if serializer.is_valid() else serializer.errors


def test_an_id_out_of_scope_is_refused_like_one_that_does_not_exist(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    assert _errors(worker, {"grid": tree["grid_a11"].pk}) is None
    missing = Grid.objects.order_by("-pk").first().pk + 1
    out_of_scope = _errors(worker, {"grid": tree["grid_b11"].pk})["grid"][0]
    assert out_of_scope == _errors(worker, {"grid": missing})["grid"][0].replace(str(missing), str(tree["grid_b11"].pk))
    assert out_of_scope.code == "does_not_exist"


def test_a_selector_given_as_scoped_decides_the_choices(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    assert "named" in _errors(worker, {"named": tree["grid_a11"].pk})


def test_without_a_request_nothing_can_be_chosen(tree):
    serializer = GridChoice(data={"grid": tree["grid_a11"].pk}, partial=True)
    assert not serializer.is_valid() and "grid" in serializer.errors
