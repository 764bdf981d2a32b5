"""REST API of service projects (1555): the catalogue, needs, and projects with their steps
(review, delivery, a served person's rating), through the same services as the desk and phone."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from appeals.models import Appeal
from appeals.selectors import appeals_for
from core.api import ModelPermissions, ViewModelPermission
from core.errors import ApplicationError
from core.inputs import DaySerializerField
from core.numbers import MONEY
from grids.api import ScopedPrimaryKeyRelatedField
from projects import services
from projects.filters import ServiceItemFilter, ServiceNeedFilter, ServiceProjectFilter
from projects.models import (
    NeedSource,
    ServiceDelivery,
    ServiceEvaluation,
    ServiceItem,
    ServiceNeed,
    ServiceProject,
)
from projects.selectors import active_items, deliveries_for, need_list_for, needs_for, project_list_for
from veterans.models import Veteran
from veterans.selectors import veterans_for
from visits.models import Visit
from visits.selectors import visits_for


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "name", "level", "category", "description", "active"]


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The three-level service catalogue (区县/镇街/村社): policy data, the same for every area."""

    permission_classes = [ModelPermissions]
    serializer_class = ItemSerializer
    queryset = ServiceItem.objects.order_by("level", "category", "name", "id")
    filterset_class = ServiceItemFilter


class NeedSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = ServiceNeed
        fields = [
            "id", "person", "person_name", "grid", "grid_name", "item", "description", "source", "visit", "appeal",
            "recorded_on", "project", "created_at",
        ]  # fmt: skip


class NeedInputSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    item = serializers.PrimaryKeyRelatedField(queryset=active_items(), required=False, allow_null=True)
    description = serializers.CharField(max_length=300)
    source = serializers.ChoiceField(choices=NeedSource.choices)
    recorded_on = DaySerializerField()
    visit = ScopedPrimaryKeyRelatedField(
        queryset=Visit.objects.all(), scoped=visits_for, required=False, allow_null=True
    )
    appeal = ScopedPrimaryKeyRelatedField(
        queryset=Appeal.objects.all(), scoped=appeals_for, required=False, allow_null=True
    )


class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Needs of the caller's area; `?state=unplanned` lists those no live project holds."""

    permission_classes = [ModelPermissions]
    serializer_class = NeedSerializer
    queryset = ServiceNeed.objects.none()
    filterset_class = ServiceNeedFilter

    def get_queryset(self):
        return need_list_for(user=self.request.user).order_by("-recorded_on", "-id")

    @extend_schema(request=NeedInputSerializer, responses={201: NeedSerializer})
    def create(self, request, *args, **kwargs):
        data = NeedInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        need = services.need_record(acting_user=request.user, **data.validated_data)
        return Response(NeedSerializer(self.get_queryset().get(pk=need.pk)).data, status=201)


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceEvaluation
        fields = ["satisfaction", "comment", "evaluated_on"]


class DeliverySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    evaluation = EvaluationSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = ServiceDelivery
        fields = ["id", "person", "person_name", "delivered_on", "days_taken", "evaluation"]


class ProjectSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True, default="")
    people_count = serializers.SerializerMethodField()

    class Meta:
        model = ServiceProject
        fields = [
            "id", "title", "item", "item_name", "description", "district", "street", "community", "grid", "status",
            "proposed_on", "reviewed_on", "review_note", "delivered_on", "delivered_by", "cost", "people_count",
            "created_at",
        ]  # fmt: skip

    def get_people_count(self, project) -> int:
        return len(project.people.all())


class ProjectDetailSerializer(ProjectSerializer):
    people = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    needs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "people", "needs", "deliveries"]


class ProjectInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    item = serializers.PrimaryKeyRelatedField(queryset=active_items(), required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    proposed_on = DaySerializerField()
    people = ScopedPrimaryKeyRelatedField(
        queryset=Veteran.objects.all(), scoped=veterans_for, many=True, required=False, default=list
    )
    needs = ScopedPrimaryKeyRelatedField(
        queryset=ServiceNeed.objects.all(), scoped=needs_for, many=True, required=False, default=list
    )


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reviewed_on = DaySerializerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ServiceDeliverSerializer(serializers.Serializer):
    delivered_on = DaySerializerField()
    delivered_by = serializers.CharField(max_length=100)
    cost = serializers.DecimalField(min_value=0, **MONEY)


class EvaluateSerializer(serializers.Serializer):
    delivery = ScopedPrimaryKeyRelatedField(queryset=ServiceDelivery.objects.all(), scoped=deliveries_for)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    evaluated_on = DaySerializerField()


def _review(project, user, data):
    services.project_review(project=project, acting_user=user, **data)


def _deliver(project, user, data):
    services.project_deliver(project=project, acting_user=user, **data)


def _evaluate(project, user, data):
    if data["delivery"].project_id != project.pk:
        raise ApplicationError(_("该服务对象不在此项目中。"), field="delivery")
    services.evaluation_record(acting_user=user, **data)


STEPS = {
    "review": (ReviewSerializer, _review),
    "deliver": (ServiceDeliverSerializer, _deliver),
    "evaluate": (EvaluateSerializer, _evaluate),
}


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Service projects of the caller's area: propose, review (not one's own), deliver, rate."""

    permission_classes = [ModelPermissions]
    queryset = ServiceProject.objects.none()
    filterset_class = ServiceProjectFilter

    def get_queryset(self):
        queryset = project_list_for(user=self.request.user).prefetch_related("people").order_by("-proposed_on", "-id")
        if self.action != "list":
            queryset = queryset.prefetch_related("needs", "deliveries__person", "deliveries__evaluation")
        return queryset

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def _detail(self, pk: int, status: int = 200) -> Response:
        return Response(ProjectDetailSerializer(self.get_queryset().get(pk=pk)).data, status=status)

    @extend_schema(request=ProjectInputSerializer, responses={201: ProjectDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = ProjectInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        project = services.project_propose(acting_user=request.user, **data.validated_data)
        return self._detail(project.pk, status=201)

    def _step(self, request, name: str) -> Response:
        project = self.get_object()
        serializer_class, take = STEPS[name]
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        take(project, request.user, data.validated_data)
        return self._detail(project.pk)

    @extend_schema(request=ReviewSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def review(self, request, pk=None):
        return self._step(request, "review")

    @extend_schema(request=ServiceDeliverSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def deliver(self, request, pk=None):
        return self._step(request, "deliver")

    @extend_schema(request=EvaluateSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def evaluate(self, request, pk=None):
        return self._step(request, "evaluate")
