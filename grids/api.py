from rest_framework import serializers, viewsets

from core.api import ModelPermissions
from grids.models import Grid
from grids.selectors import grids_for


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
