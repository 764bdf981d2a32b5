"""REST API of transfers (迁入迁出): the ledger of both sides, start, accept and reject. Thin: every
write is a service call; the receiving side reads what the transfer shows, never the file."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.masking import mask_id_number
from grids.models import Grid
from transfers.filters import TransferFilter
from transfers.models import Transfer
from transfers.selectors import transfers_for
from transfers.services import transfer_accept, transfer_reject, transfer_start
from veterans.models import Veteran
from veterans.selectors import veterans_for


class TransferSerializer(serializers.ModelSerializer):
    """What both sides may read: the person's name and masked ID number, the reason and the two
    areas. The file itself is read through /api/veterans/ by whoever holds it."""

    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    id_number = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    from_area = serializers.SerializerMethodField()
    to_area = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "veteran",
            "veteran_name",
            "id_number",
            "status",
            "status_display",
            "reason",
            "from_grid",
            "from_area",
            "to_grid",
            "to_area",
            "started_at",
            "decided_at",
            "reject_reason",
        ]

    def get_id_number(self, transfer) -> str:
        return mask_id_number(transfer.veteran.id_number)

    def get_from_area(self, transfer) -> str:
        return f"{transfer.from_street.name} {transfer.from_community.name} {transfer.from_grid.name}"

    def get_to_area(self, transfer) -> str:
        return f"{transfer.to_street.name} {transfer.to_community.name} {transfer.to_grid.name}"


class StartInput(serializers.Serializer):
    veteran = serializers.PrimaryKeyRelatedField(queryset=Veteran.objects.none())
    # Any grid of the installation may receive a file.
    to_grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.all())
    reason = serializers.CharField(max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # the schema generator builds one without a request
            self.fields["veteran"].queryset = veterans_for(user=request.user)


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def _step(**options):
    """A POST action: the caller must see transfers; the service checks side and permission."""
    return action(detail=True, methods=["post"], permission_classes=[ViewModelPermission], **options)


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    serializer_class = TransferSerializer
    queryset = Transfer.objects.none()
    filterset_class = TransferFilter

    def get_queryset(self):
        return transfers_for(user=self.request.user).order_by("-started_at", "-id")

    def _shown(self, transfer):
        return TransferSerializer(self.get_queryset().get(pk=transfer.pk)).data

    @extend_schema(request=StartInput, responses={201: TransferSerializer})
    def create(self, request, *args, **kwargs):
        data = StartInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        transfer = transfer_start(acting_user=request.user, **data.validated_data)
        return Response(self._shown(transfer), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TransferSerializer})
    @_step()
    def accept(self, request, pk=None):
        transfer = self.get_object()  # neither end in scope: 404 before anything else
        transfer_accept(transfer=transfer, acting_user=request.user)
        return Response(self._shown(transfer))

    @extend_schema(request=RejectInput, responses={200: TransferSerializer})
    @_step()
    def reject(self, request, pk=None):
        transfer = self.get_object()
        checked = RejectInput(data=request.data)
        checked.is_valid(raise_exception=True)
        transfer_reject(transfer=transfer, acting_user=request.user, reason=checked.validated_data["reason"])
        return Response(self._shown(transfer))
