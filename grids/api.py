from rest_framework import serializers, viewsets

from core.api import ModelPermissions
from grids.models import Grid
from grids.scoping import scope_queryset
from grids.selectors import grids_for


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a row the caller may see: one outside their area is answered as if it did not
    exist (DRF's "Invalid pk" 400), so a refusal tells nothing about other areas.

    `queryset` names the rows before scoping (and the model, for the schema); `scoped`, when a
    selector adds more than the scope (veterans_for hides removed records), is called as
    `scoped(user=...)` instead of scoping `queryset`. Without a request (the schema generator)
    there is no caller and so no row to choose."""

    def __init__(self, *, scoped=None, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        if self.scoped is not None:
            return self.scoped(user=request.user)
        return scope_queryset(request.user, self.queryset.all())


class GridSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "district", "street", "community", "street_name", "community_name"]


class GridViewSet(viewsets.ReadOnlyModelViewSet):
    """The grids of the caller's area."""

    permission_classes = [ModelPermissions]
    serializer_class = GridSerializer
    queryset = Grid.objects.none()
    filterset_fields = ["street", "community"]

    def get_queryset(self):
        return grids_for(user=self.request.user).order_by("code")
