"""REST API for visits, due lists, activities and must-visit events; thin and scoped."""

import copy

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions
from core.errors import ApplicationError
from core.inputs import DaySerializerField
from core.masking import mask_phone
from core.numbers import MONEY
from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import Grid
from grids.scoping import scope_queryset
from veterans.models import Veteran
from veterans.selectors import veterans_for
from visits import selectors
from visits.api_plain_submit import plain_submit
from visits.models import Campaign, EventKind, GridActivity, MustVisitEvent, Visit, VisitKind, VisitMethod
from visits.services import grid_activity_record, must_visit_event_report, visit_record


class VisitSerializer(serializers.Serializer):
    """A visit as the API shows it. Declared field by field: a ModelSerializer derives its fields
    from the model again for every instance, which cost more than the insert itself on each
    submit."""

    id = serializers.IntegerField(read_only=True)
    client_id = serializers.UUIDField(read_only=True)
    veteran = serializers.IntegerField(source="veteran_id", read_only=True)
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    grid = serializers.IntegerField(source="grid_id", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    visited_at = serializers.DateTimeField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    method = serializers.ChoiceField(choices=VisitMethod.choices, read_only=True)
    kind = serializers.ChoiceField(choices=VisitKind.choices, read_only=True)
    event_kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True, allow_blank=True)
    campaign = serializers.IntegerField(source="campaign_id", read_only=True, allow_null=True)
    findings = serializers.CharField(read_only=True)
    needs = serializers.CharField(read_only=True)
    money = serializers.DecimalField(**MONEY, read_only=True)
    goods = serializers.CharField(read_only=True)
    goods_value = serializers.DecimalField(**MONEY, read_only=True)
    follow_up_needed = serializers.BooleanField(read_only=True)
    follow_up_by = serializers.DateField(read_only=True, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True, allow_null=True)
    location_accuracy = serializers.IntegerField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


# One instance shows each answer's visit, as a ListSerializer's child shows each of its rows:
# the fields are bound once per process instead of once per submit. It keeps no request state.
_visit_shown = VisitSerializer()


@extend_schema_field(OpenApiTypes.INT)
class ScopedCampaignField(serializers.PrimaryKeyRelatedField):
    """A campaign of the caller's area, looked up only when the form names one."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.campaigns_for(user=request.user) if request is not None else Campaign.objects.none()


class VisitInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="由客户端生成；同一编号重复提交只记录一次")
    # An id only: the service loads the veteran once, inside the caller's scope.
    veteran = serializers.IntegerField(min_value=1)
    visited_at = serializers.DateTimeField(required=False)
    method = serializers.ChoiceField(choices=Visit._meta.get_field("method").choices)
    kind = serializers.ChoiceField(choices=Visit._meta.get_field("kind").choices, default="routine")
    event_kind = serializers.ChoiceField(
        choices=Visit._meta.get_field("event_kind").choices, required=False, allow_blank=True, default=""
    )
    campaign = ScopedCampaignField(required=False, allow_null=True)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    needs = serializers.CharField(required=False, allow_blank=True, default="")
    money = serializers.DecimalField(**MONEY, min_value=0, default=0)
    goods = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    goods_value = serializers.DecimalField(**MONEY, min_value=0, default=0)
    follow_up_needed = serializers.BooleanField(default=False)
    follow_up_by = DaySerializerField(required=False, allow_null=True, default=None)
    # Where the phone was, only if the worker asked for it. Any number of decimals: the service
    # checks the ranges and rounds to six places (about 0.1 m).
    latitude = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True, default=None, help_text="WGS 84 纬度"
    )
    longitude = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True, default=None, help_text="WGS 84 经度"
    )
    location_accuracy = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True, default=None, help_text="定位精度（米）"
    )

    def get_fields(self):
        """DRF deep-copies every declared field for each serializer, building each choice field's
        tables again: on every submit that cost more than the rest of the validation. A shallow
        copy is enough: binding a field to this serializer sets attributes on the copy only, and
        validating changes nothing the copies share (choices, validators, messages)."""
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class DueSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    phone = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Veteran
        fields = [
            "id",
            "name",
            "grid",
            "grid_name",
            "residence_address",
            "phone",
            "last_visit_on",
            "visit_due_on",
            "event_due_on",
            "visit_interval_days",
            "overdue",
        ]

    def get_phone(self, veteran) -> str:
        return mask_phone(veteran.phone)

    def get_overdue(self, veteran) -> bool:
        today = self.context["today"]
        return bool(
            (veteran.visit_due_on and veteran.visit_due_on < today)
            or (veteran.event_due_on and veteran.event_due_on < today)
        )


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits of the caller's area. POST is idempotent on `client_id`: a phone that retries after
    a timeout gets 200 and the same visit every time; the `Visit-Created` header says which
    answer created it."""

    permission_classes = [ModelPermissions]
    serializer_class = VisitSerializer
    queryset = Visit.objects.none()
    filterset_fields = ["veteran", "grid", "method", "kind", "campaign"]

    def get_queryset(self):
        return selectors.visits_for(user=self.request.user).order_by("-visited_at", "-id")

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and self.action_map.get("post") == "create":
            answer = plain_submit(request, input_fields=VisitInputSerializer._declared_fields, shown=_visit_shown)
            if answer is not None:
                return answer
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(request=VisitInputSerializer, responses={200: VisitSerializer})
    def create(self, request, *args, **kwargs):
        data = VisitInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = {**data.validated_data, "veteran": Veteran(pk=data.validated_data["veteran"])}
        try:
            visit, created = visit_record(acting_user=request.user, **fields)
        except ApplicationError as error:
            if error.code == "out_of_scope":  # another grid's veteran does not exist for this caller
                raise serializers.ValidationError({"veteran": [error.message]}) from error
            raise
        if not created:  # the replayed visit was loaded with a few columns only
            visit = get_object_or_404(self.get_queryset(), pk=visit.pk)
        response = Response(_visit_shown.to_representation(visit), status=status.HTTP_200_OK)
        response["Visit-Created"] = "true" if created else "false"
        return response

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description=_("按姓名、拼音首字母、身份证号、电话或住址查找"))],
        responses=DueSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def due(self, request):
        """The caller's due list: must-visit events first, then most overdue first."""
        page = self.paginate_queryset(selectors.due_list(user=request.user, search=request.query_params.get("q", "")))
        context = {"today": timezone.localdate()}
        return self.get_paginated_response(DueSerializer(page, many=True, context=context).data)


class ActivitySerializer(serializers.ModelSerializer):
    grid = ScopedPrimaryKeyRelatedField(queryset=Grid.objects.all())

    class Meta:
        model = GridActivity
        fields = ["id", "grid", "held_on", "kind", "title", "participants", "note", "created_at"]


class ActivityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [ModelPermissions]
    serializer_class = ActivitySerializer
    queryset = GridActivity.objects.none()
    filterset_fields = {"grid": ["exact"], "held_on": ["gte", "lte", "exact"], "kind": ["exact"]}

    def get_queryset(self):
        return scope_queryset(self.request.user, GridActivity.objects.select_related("grid")).order_by(
            "-held_on", "-id"
        )

    def perform_create(self, serializer):
        serializer.instance = grid_activity_record(acting_user=self.request.user, **serializer.validated_data)


class EventSerializer(serializers.ModelSerializer):
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)

    class Meta:
        model = MustVisitEvent
        fields = ["id", "veteran", "kind", "occurred_on", "due_by", "note", "resolved_at"]
        read_only_fields = ["due_by", "resolved_at"]


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    serializer_class = EventSerializer
    queryset = MustVisitEvent.objects.none()
    filterset_fields = ["veteran", "kind"]

    def get_queryset(self):
        return scope_queryset(self.request.user, MustVisitEvent.objects.all()).order_by("due_by")

    def perform_create(self, serializer):
        serializer.instance = must_visit_event_report(acting_user=self.request.user, **serializer.validated_data)
