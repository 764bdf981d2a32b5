"""REST API of honours: selection rounds, nominations and merit notices (立功喜报), listed and read
in scope, and each step taken through the same services as the admin and the phone."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import District
from honours import services
from honours.filters import MeritNoticeFilter, NominationFilter, SelectionFilter
from honours.models import (
    DeliveryWay,
    MeritKind,
    MeritNotice,
    Nomination,
    Selection,
    SelectionKind,
    SelectionLevel,
)
from honours.selectors import merit_notice_list_for, nomination_list_for, selections_for
from veterans.models import Veteran
from veterans.selectors import veterans_for


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class SelectionSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = Selection
        fields = [
            "id", "name", "kind", "level", "year", "district", "district_name", "nomination_deadline", "status",
            "announced_on", "created_at",
        ]  # fmt: skip


class SelectionInputSerializer(serializers.Serializer):
    district = ScopedPrimaryKeyRelatedField(queryset=District.objects.all())
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=SelectionKind.choices)
    level = serializers.ChoiceField(choices=SelectionLevel.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    nomination_deadline = DaySerializerField()


class AnnounceSerializer(serializers.Serializer):
    announced_on = DaySerializerField()


class SelectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Selection rounds (评选表彰) of the caller's district: 最美退役军人, 五好家属, 和谐光荣之家..."""

    permission_classes = [ModelPermissions]
    queryset = Selection.objects.none()
    serializer_class = SelectionSerializer
    filterset_class = SelectionFilter

    def get_queryset(self):
        return selections_for(user=self.request.user).order_by("-year", "-id")

    def _answer(self, selection, status=200):
        return Response(SelectionSerializer(self.get_queryset().get(pk=selection.pk)).data, status=status)

    @extend_schema(request=SelectionInputSerializer, responses={201: SelectionSerializer})
    def create(self, request, *args, **kwargs):
        data = SelectionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return self._answer(services.selection_open(acting_user=request.user, **data.validated_data), status=201)

    @extend_schema(request=None, responses={200: SelectionSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def close(self, request, pk=None):
        selection = services.selection_close_nominations(selection=self.get_object(), acting_user=request.user)
        return self._answer(selection)

    @extend_schema(request=AnnounceSerializer, responses={200: SelectionSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def announce(self, request, pk=None):
        selection = self.get_object()
        data = AnnounceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.selection_announce(selection=selection, acting_user=request.user, **data.validated_data)
        )


class NominationSerializer(serializers.ModelSerializer):
    selection_name = serializers.CharField(source="selection.name", read_only=True)
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id", "selection", "selection_name", "veteran", "veteran_name", "grid", "grid_name", "nominated_by",
            "reason", "nominated_on", "status", "decided_on",
        ]  # fmt: skip


class NominationInputSerializer(serializers.Serializer):
    selection = ScopedPrimaryKeyRelatedField(queryset=Selection.objects.all(), scoped=selections_for)
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    nominated_by = serializers.CharField(max_length=100)
    reason = serializers.CharField(max_length=5000)
    nominated_on = DaySerializerField(required=False)


class DecideSerializer(serializers.Serializer):
    selected = serializers.BooleanField()
    decided_on = DaySerializerField()


class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nominations (推荐) of people in the caller's area, and their results."""

    permission_classes = [ModelPermissions]
    queryset = Nomination.objects.none()
    serializer_class = NominationSerializer
    filterset_class = NominationFilter

    def get_queryset(self):
        return nomination_list_for(user=self.request.user).order_by("-id")

    @extend_schema(request=NominationInputSerializer, responses={201: NominationSerializer})
    def create(self, request, *args, **kwargs):
        data = NominationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        nomination = services.nomination_add(acting_user=request.user, **data.validated_data)
        return Response(NominationSerializer(self.get_queryset().get(pk=nomination.pk)).data, status=201)

    @extend_schema(request=DecideSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def decide(self, request, pk=None):
        nomination = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.nomination_decide(nomination=nomination, acting_user=request.user, **data.validated_data)
        return Response(NominationSerializer(self.get_queryset().get(pk=nomination.pk)).data)


class MeritNoticeSerializer(serializers.ModelSerializer):
    family_name = serializers.CharField(source="family.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    delivered_by_name = serializers.SerializerMethodField()

    class Meta:
        model = MeritNotice
        fields = [
            "id", "family", "family_name", "grid", "grid_name", "soldier_name", "unit", "merit_kind", "received_on",
            "delivered_on", "delivery_way", "delivered_by_name", "delivery_note", "created_at",
        ]  # fmt: skip

    def get_delivered_by_name(self, notice) -> str:
        return _name(notice.delivered_by)


class MeritNoticeInputSerializer(serializers.Serializer):
    family = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    soldier_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    merit_kind = serializers.ChoiceField(choices=MeritKind.choices)
    received_on = DaySerializerField()


class MeritDeliverSerializer(serializers.Serializer):
    delivered_on = DaySerializerField()
    delivery_way = serializers.ChoiceField(choices=DeliveryWay.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MeritNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Merit notices (立功喜报) of families in the caller's area. `?delivery=waiting` lists those
    not yet delivered; `?delivery=urgent` those waiting more than 15 days."""

    permission_classes = [ModelPermissions]
    queryset = MeritNotice.objects.none()
    serializer_class = MeritNoticeSerializer
    filterset_class = MeritNoticeFilter

    def get_queryset(self):
        return merit_notice_list_for(user=self.request.user).order_by("-received_on", "-id")

    @extend_schema(request=MeritNoticeInputSerializer, responses={201: MeritNoticeSerializer})
    def create(self, request, *args, **kwargs):
        data = MeritNoticeInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        notice = services.merit_notice_receive(acting_user=request.user, **data.validated_data)
        return Response(MeritNoticeSerializer(self.get_queryset().get(pk=notice.pk)).data, status=201)

    @extend_schema(request=MeritDeliverSerializer, responses={200: MeritNoticeSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def deliver(self, request, pk=None):
        notice = self.get_object()
        data = MeritDeliverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.merit_notice_deliver(notice=notice, acting_user=request.user, **data.validated_data)
        return Response(MeritNoticeSerializer(self.get_queryset().get(pk=notice.pk)).data)
