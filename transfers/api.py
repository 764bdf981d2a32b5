"""REST API of transfers (迁入迁出): the ledger of both sides, start, accept and reject; a death
(登记去世) and a move out of the installation (迁出本系统). Thin: every write is a service call;
the receiving side reads what the transfer shows, never the file."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from core.masking import mask_id_number
from grids.models import Grid
from transfers.exports import move_out_response
from transfers.filters import TransferFilter
from transfers.models import Transfer
from transfers.selectors import transfers_for
from transfers.services import person_move_out, person_record_death, transfer_accept, transfer_reject, transfer_start
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


class PersonInput(serializers.Serializer):
    """A person among the caller's files: another area's id is answered as one that does not
    exist, word for word."""

    veteran = serializers.PrimaryKeyRelatedField(
        queryset=Veteran.objects.none(), help_text=_("档案编号（在退役军人列表中可见）")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # the schema generator builds one without a request
            self.fields["veteran"].queryset = veterans_for(user=request.user)


class StartInput(PersonInput):
    # Any grid of the installation may receive a file.
    to_grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.all())
    reason = serializers.CharField(max_length=200)


class DeathInput(PersonInput):
    died_on = DaySerializerField(help_text=_("去世日期，不晚于今天、不早于出生日期"))


class MoveOutInput(PersonInput):
    destination = serializers.CharField(max_length=100, help_text=_("迁往地区，如：四川省成都市武侯区"))
    moved_on = DaySerializerField(help_text=_("迁出日期，不晚于今天、不早于出生日期"))


class LifeStatusSerializer(serializers.ModelSerializer):
    """The person's state after the step: 已故 or 已迁出, with the date."""

    veteran = serializers.IntegerField(source="pk", read_only=True, help_text=_("档案编号"))

    class Meta:
        model = Veteran
        fields = ["veteran", "name", "life_status", "life_status_date"]


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


class PersonStepView(APIView):
    """A step on a person's file that the admin offers beside the transfers: who may start a
    transfer may take it (transfers.add_transfer), as on the admin's pages."""

    permission_classes = [ModelPermissions]
    queryset = Transfer.objects.none()  # names the model whose permission is asked

    def _checked(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data, context={"request": self.request})
        data.is_valid(raise_exception=True)
        return data.validated_data


class DeathView(PersonStepView):
    """登记去世: the file closes with the date; open must-visit events close, the subsidy stops."""

    @extend_schema(
        request=DeathInput,
        responses={200: LifeStatusSerializer},
        examples=[OpenApiExample("death", value={"veteran": 1, "died_on": "2025-01-15"}, request_only=True)],
    )
    def post(self, request):
        veteran = person_record_death(acting_user=request.user, **self._checked(DeathInput))
        return Response(LifeStatusSerializer(veteran).data)


class MoveOutView(PersonStepView):
    """迁出本系统: the file leaves as a .zip package (an .xlsx of the file and its history, and the
    cases' papers) and the person is marked 已迁出. The package holds full ID numbers: the service
    also asks for veterans.export_unmasked."""

    @extend_schema(
        request=MoveOutInput,
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description=_("档案包（.zip）")),
        },
        examples=[
            OpenApiExample(
                "move_out",
                value={"veteran": 1, "destination": "四川省成都市武侯区", "moved_on": "2025-01-15"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        checked = self._checked(MoveOutInput)
        package = person_move_out(acting_user=request.user, **checked)
        return move_out_response(package, veteran=checked["veteran"])
