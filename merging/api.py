"""REST API for near-duplicate pairs: scoped list and detail, and the decisions as POST actions.
Thin: each decision is a service call; a refused one answers 400 with its reason."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.masking import mask_id_number, mask_phone
from merging.filters import PairFilter
from merging.models import DuplicatePair
from merging.selectors import pairs_for
from merging.services import pair_merge, pair_reject, pair_undo
from veterans.models import Veteran


class PairFileSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = Veteran
        fields = ["id", "name", "gender", "birth_date", "id_number", "phone", "grid", "grid_name", "removed_at"]

    def get_id_number(self, veteran) -> str:
        return mask_id_number(veteran.id_number)

    def get_phone(self, veteran) -> str:
        return mask_phone(veteran.phone) if veteran.phone else ""


class PairSerializer(serializers.ModelSerializer):
    first = PairFileSerializer(read_only=True)
    second = PairFileSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DuplicatePair
        fields = [
            "id",
            "first",
            "second",
            "reasons",
            "status",
            "status_display",
            "found_at",
            "survivor",
            "decided_at",
            "decision_reason",
            "merged_at",
        ]


class MergeInput(serializers.Serializer):
    survivor = serializers.IntegerField()
    reason = serializers.CharField(max_length=200)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class PairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    serializer_class = PairSerializer
    queryset = DuplicatePair.objects.none()
    filterset_class = PairFilter

    def get_queryset(self):
        return pairs_for(user=self.request.user).select_related("first__grid", "second__grid")

    def _decide(self, service, input_class, **renamed):
        pair = self.get_object()  # out of scope: 404 before anything else
        if not self.request.user.has_perm("merging.change_duplicatepair"):
            raise PermissionDenied
        checked = input_class(data=self.request.data)
        checked.is_valid(raise_exception=True)
        data = {renamed.get(key, key): value for key, value in checked.validated_data.items()}
        service(pair=pair, acting_user=self.request.user, **data)
        return Response(PairSerializer(self.get_queryset().get(pk=pair.pk)).data)

    @extend_schema(request=MergeInput, responses={200: PairSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def merge(self, request, pk=None):
        """合并: keep `survivor` (one of the two files), move everything of the other onto it."""
        return self._decide(pair_merge, MergeInput, survivor="survivor_id")

    @extend_schema(request=ReasonInput, responses={200: PairSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def reject(self, request, pk=None):
        """不是同一人: the pair is closed and never offered again."""
        return self._decide(pair_reject, ReasonInput)

    @extend_schema(request=ReasonInput, responses={200: PairSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def undo(self, request, pk=None):
        """撤销合并 within 30 days."""
        return self._decide(pair_undo, ReasonInput)
