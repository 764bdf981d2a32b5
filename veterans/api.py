"""REST API for veteran records: thin views over selectors and services, masked by default."""

from django.db.models import DateField, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audit.models import AuditEvent, ViewPart
from audit.selectors import read_part, read_part_label
from core.api import ClerkDateField, ModelPermissions
from core.masking import mask_id_number, mask_phone
from core.normalize import plain_code, plain_phone
from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import AREA_MODELS, AreaLevel, Grid, StaffProfile
from veterans.filters import VeteranFilterSet
from veterans.models import (
    FamilyMember,
    FamilyRelation,
    Honour,
    PriorityCare,
    PriorityCategory,
    SoldierStatus,
    SourceSoldier,
    Veteran,
    VeteranChange,
)
from veterans.rules import key_groups, missing_items
from veterans.selectors import completeness_by_area, today, veteran_readers, veterans_for, with_detail_relations
from veterans.services import (
    EDITABLE_FIELDS,
    KEEP,
    veteran_create,
    veteran_move_grid,
    veteran_remove,
    veteran_reveal_identity,
    veteran_set_priority_care,
    veteran_update,
)
from veterans.view_services import veteran_record_view


class PriorityCareSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = PriorityCare
        fields = ["category", "category_display", "disability_grade"]


class FamilySerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = FamilyMember
        fields = ["id", "name", "relation", "phone", "is_military_family"]

    def get_phone(self, member) -> str:
        return mask_phone(member.phone)


class HonourSerializer(serializers.ModelSerializer):
    class Meta:
        model = Honour
        fields = ["id", "kind", "title", "awarded_year"]


class SourceSoldierSerializer(serializers.ModelSerializer):
    relation_display = serializers.CharField(source="get_relation_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SourceSoldier
        fields = [
            "name",
            "unit",
            "relation",
            "relation_display",
            "status",
            "status_display",
            "death_date",
            "death_place",
            "certificate_number",
            "soldier_file",
        ]


class VeteranListSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    age = serializers.IntegerField(read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    priority_care = PriorityCareSerializer(many=True, read_only=True)
    key_groups = serializers.SerializerMethodField()
    source_soldier = SourceSoldierSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Veteran
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "age",
            "id_number",
            "phone",
            "person_kind",
            "source_soldier",
            "veteran_type",
            "life_status",
            "district",
            "street",
            "community",
            "grid",
            "community_name",
            "grid_name",
            "priority_care",
            "is_party_member",
            "party_relation",
            "glory_plaque_hung_on",
            "completeness",
            "key_groups",
            "updated_at",
        ]

    def to_representation(self, veteran):
        data = super().to_representation(veteran)
        for name in veteran.month_only_dates.split(","):
            if data.get(name):
                data[name] = data[name][:7]  # known only to the month: YYYY-MM
        return data

    def get_id_number(self, veteran) -> str:
        return mask_id_number(veteran.id_number)

    def get_phone(self, veteran) -> str:
        return mask_phone(veteran.phone)

    def get_key_groups(self, veteran) -> list[str]:
        kinds = {honour.kind for honour in veteran.honours.all()}
        return key_groups(veteran, kinds, today())


class VeteranDetailSerializer(VeteranListSerializer):
    family = FamilySerializer(many=True, read_only=True)
    honours = HonourSerializer(many=True, read_only=True)
    missing_items = serializers.SerializerMethodField()
    street_name = serializers.CharField(source="street.name", read_only=True)

    class Meta(VeteranListSerializer.Meta):
        fields = [
            *VeteranListSerializer.Meta.fields,
            "street_name",
            *[f for f in EDITABLE_FIELDS if f not in VeteranListSerializer.Meta.fields],
            "family",
            "honours",
            "missing_items",
            "removed_at",
            "removed_reason",
            "created_at",
        ]

    def get_missing_items(self, veteran) -> list[str]:
        return [item.key for item in missing_items(veteran, family_count=len(veteran.family.all()))]


class CategoryInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=PriorityCategory.choices)
    disability_grade = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10)


class SoldierInput(serializers.Serializer):
    """The soldier a survivor's or family member's file derives from; the service checks him."""

    name = serializers.CharField(max_length=50)
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    relation = serializers.ChoiceField(choices=FamilyRelation.choices)
    status = serializers.ChoiceField(choices=SoldierStatus.choices, required=False, allow_blank=True)
    death_date = ClerkDateField(required=False, allow_null=True)
    death_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    certificate_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    soldier_file = serializers.PrimaryKeyRelatedField(queryset=Veteran.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # another area's file does not exist for the caller
            self.fields["soldier_file"].queryset = veterans_for(user=request.user)


class VeteranWriteSerializer(serializers.ModelSerializer):
    """Input only: plain values checked by DRF, every rule enforced by the services."""

    # Choices outside the user's area simply do not exist for them.
    grid = ScopedPrimaryKeyRelatedField(queryset=Grid.objects.all(), required=False)
    paired_staff = ScopedPrimaryKeyRelatedField(queryset=StaffProfile.objects.all(), required=False, allow_null=True)
    priority_care = CategoryInput(many=True, required=False)
    source_soldier = SoldierInput(required=False, allow_null=True)
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, DateField: ClerkDateField}

    class Meta:
        model = Veteran
        fields = ["grid", *EDITABLE_FIELDS, "priority_care", "source_soldier"]
        extra_kwargs = {"birth_date": {"required": False}, "gender": {"required": False}}
        validators: list = []  # uniqueness is the service's to check and explain

    def to_internal_value(self, data):
        # Full-width digits (an IME's habit) are made plain before the field validators see them.
        if hasattr(data, "get"):
            data = {key: data.get(key) for key in data} if hasattr(data, "getlist") else dict(data)
            for key, plain_form in (("id_number", plain_code), ("phone", plain_phone)):
                if isinstance(data.get(key), str):
                    data[key] = plain_form(data[key])
        return super().to_internal_value(data)


class MoveSerializer(serializers.Serializer):
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.all())
    reason = serializers.CharField(max_length=200)


class RemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ChangeSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = VeteranChange
        fields = ["changed_at", "actor", "kind", "field", "old_value", "new_value", "reason"]

    def get_actor(self, change) -> str:
        return change.actor.get_username() if change.actor else ""


class CompletenessSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    area_name = serializers.CharField()
    total = serializers.IntegerField()
    complete = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)


class IdentitySerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField()


class ReaderSerializer(serializers.ModelSerializer):
    """One read of a file: who, when, from where, which part."""

    actor = serializers.CharField(source="actor_username")
    part = serializers.SerializerMethodField()
    part_display = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["occurred_at", "actor", "ip_address", "part", "part_display"]

    def get_part(self, event) -> str:
        return read_part(event)

    def get_part_display(self, event) -> str:
        return read_part_label(event)


def _categories(data) -> list[tuple[str, int | None]]:
    return [(row["category"], row.get("disability_grade")) for row in data]


class VeteranViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Veteran records of the caller's area. Another area's record is a 404."""

    permission_classes = [ModelPermissions]
    filterset_class = VeteranFilterSet
    queryset = Veteran.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self):
        queryset = veterans_for(user=self.request.user)
        if self.action == "list":
            return (
                queryset.select_related("grid", "community", "source_soldier")
                .prefetch_related(
                    Prefetch("priority_care", queryset=PriorityCare.objects.order_by("category")),
                    Prefetch("honours", queryset=Honour.objects.only("id", "kind", "veteran_id")),
                )
                .order_by("-id")
            )
        return with_detail_relations(queryset)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return VeteranWriteSerializer
        if self.action == "list":
            return VeteranListSerializer
        return VeteranDetailSerializer

    @extend_schema(request=VeteranWriteSerializer, responses={201: VeteranDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = VeteranWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        grid = data.pop("grid", None)
        if grid is None:
            raise serializers.ValidationError({"grid": ["请选择网格。"]})
        categories = _categories(data.pop("priority_care", []))
        soldier = data.pop("source_soldier", None)
        veteran = veteran_create(grid=grid, acting_user=request.user, categories=categories, soldier=soldier, **data)
        return Response(self._detail(veteran.pk), status=201)

    def retrieve(self, request, *args, **kwargs):
        veteran = self.get_object()
        veteran_record_view(veteran=veteran, part=ViewPart.API, acting_user=request.user, request=request)
        return Response(self.get_serializer(veteran).data)

    @extend_schema(request=VeteranWriteSerializer, responses=VeteranDetailSerializer)
    def update(self, request, *args, **kwargs):
        veteran = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = VeteranWriteSerializer(veteran, data=request.data, partial=partial, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("grid", None)  # moving is its own action with a reason
        categories = data.pop("priority_care", None)
        soldier = data.pop("source_soldier", KEEP)  # null removes him; left out keeps him
        veteran_update(veteran=veteran, acting_user=request.user, soldier=soldier, **data)
        if categories is not None:
            veteran_set_priority_care(veteran=veteran, categories=_categories(categories), acting_user=request.user)
        return Response(self._detail(veteran.pk))

    @extend_schema(request=VeteranWriteSerializer, responses=VeteranDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def _detail(self, pk):
        veteran = get_object_or_404(self.get_queryset(), pk=pk)
        return VeteranDetailSerializer(veteran, context={"request": self.request}).data

    @extend_schema(responses=ChangeSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        veteran = self.get_object()
        changes = VeteranChange.objects.filter(veteran=veteran).select_related("actor")
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(ChangeSerializer(page, many=True).data)

    @extend_schema(responses=IdentitySerializer)
    @action(detail=True, methods=["get"])
    def identity(self, request, pk=None):
        """The whole ID and phone number; needs the reveal permission and is audited."""
        veteran = self.get_object()
        return Response(veteran_reveal_identity(veteran=veteran, acting_user=request.user, request=request))

    @extend_schema(responses=ReaderSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], permission_classes=[IsAuthenticated])
    def readers(self, request, pk=None):
        """Who opened this file, newest first: for the auditor and station staff of its area."""
        readers = veteran_readers(user=request.user, veteran_id=pk if str(pk).isdigit() else None)
        if readers is None:
            raise NotFound  # as for a record outside the caller's area: nothing is told
        page = self.paginate_queryset(readers)
        return self.get_paginated_response(ReaderSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("level", str, enum=["district", "street", "community", "grid"])],
        responses=CompletenessSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def completeness(self, request):
        """Share of complete records per area at `level` (default: grid), for the caller's area."""
        level = request.query_params.get("level", AreaLevel.GRID)
        if level not in AREA_MODELS:
            raise serializers.ValidationError({"level": ["district / street / community / grid"]})
        rows = completeness_by_area(user=request.user, level=level)
        names = dict(AREA_MODELS[level].objects.filter(pk__in=[r["area_id"] for r in rows]).values_list("pk", "name"))
        return Response([{**row, "area_name": names.get(row["area_id"], "")} for row in rows])

    @extend_schema(request=MoveSerializer, responses=VeteranDetailSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        veteran = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        veteran_move_grid(veteran=veteran, acting_user=request.user, **serializer.validated_data)
        return Response(self._detail(veteran.pk))

    @extend_schema(request=RemoveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        veteran = self.get_object()
        serializer = RemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        veteran_remove(veteran=veteran, acting_user=request.user, reason=serializer.validated_data["reason"])
        return Response(status=204)
