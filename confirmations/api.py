"""REST API for the annual confirmation: the caller's area's rows, filtered by year and state,
and the confirm step through the same service as the station's admin."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from confirmations import services
from confirmations.filters import ConfirmationFilter
from confirmations.models import Confirmation, ConfirmationMethod
from confirmations.selectors import confirmations_for
from core.api import ModelPermissions, ViewModelPermission
from visits.models import Visit
from visits.selectors import visits_for


class ConfirmationSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    deadline = serializers.DateField(source="round.deadline", read_only=True)
    overdue = serializers.SerializerMethodField()
    suspended = serializers.BooleanField(read_only=True)
    confirmed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Confirmation
        fields = [
            "id",
            "veteran",
            "veteran_name",
            "year",
            "grid",
            "grid_name",
            "deadline",
            "status",
            "overdue",
            "suspended",
            "method",
            "confirmed_by_name",
            "confirmed_at",
            "visit",
            "notes",
        ]

    def get_overdue(self, confirmation) -> bool:
        return confirmation.is_overdue(timezone.localdate())

    def get_confirmed_by_name(self, confirmation) -> str:
        user = confirmation.confirmed_by
        return (user.get_full_name() or user.get_username()) if user else ""


class ConfirmInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ConfirmationMethod.choices)
    visit = serializers.PrimaryKeyRelatedField(queryset=Visit.objects.none(), required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # the schema generator builds one without a request
            self.fields["visit"].queryset = visits_for(user=request.user)


class ConfirmationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual confirmations (年度确认) of the caller's area. `?state=overdue|suspended|pending|confirmed`."""

    permission_classes = [ModelPermissions]
    queryset = Confirmation.objects.none()
    serializer_class = ConfirmationSerializer
    filterset_class = ConfirmationFilter

    def get_queryset(self):
        return confirmations_for(user=self.request.user).order_by("-year", "id")

    @extend_schema(request=ConfirmInputSerializer, responses={200: ConfirmationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def confirm(self, request, pk=None):
        confirmation = self.get_object()
        data = ConfirmInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.confirmation_confirm(
            veteran=confirmation.veteran, year=confirmation.year, acting_user=request.user, **data.validated_data
        )
        return Response(
            ConfirmationSerializer(self.get_queryset().get(pk=confirmation.pk)).data, status=status.HTTP_200_OK
        )
