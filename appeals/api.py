"""REST API for appeals: list and read in scope, take one in, and every step of its handling
through the same services as the desk and phone pages."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from appeals import services
from appeals.filters import AppealFilter
from appeals.models import Appeal, AppealCategory, AppealDocument, AppealNote, Channel, Satisfaction
from appeals.selectors import active_categories, appeal_list_for
from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from grids.api import ScopedPrimaryKeyRelatedField
from veterans.models import Veteran
from veterans.selectors import veterans_for
from visits.models import Visit
from visits.selectors import visits_for


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")

    class Meta:
        model = AppealNote
        fields = ["kind", "text", "author", "at"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealDocument
        fields = ["id", "name", "received_on"]


class AppealSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    handler_name = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "veteran",
            "veteran_name",
            "category",
            "category_name",
            "grid",
            "grid_name",
            "channel",
            "visit",
            "subject",
            "content",
            "received_on",
            "deadline",
            "status",
            "handler",
            "handler_name",
            "resolution",
            "resolved_on",
            "satisfaction",
            "feedback",
            "reopened",
            "created_at",
        ]

    def get_handler_name(self, appeal) -> str:
        return (appeal.handler.get_full_name() or appeal.handler.get_username()) if appeal.handler else ""


class AppealDetailSerializer(AppealSerializer):
    notes = NoteSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "notes", "documents"]


def _staff():
    return get_user_model().objects.filter(is_active=True, staff_profile__isnull=False)


class AppealInputSerializer(serializers.Serializer):
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    category = serializers.PrimaryKeyRelatedField(queryset=active_categories())
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(max_length=100)
    content = serializers.CharField(max_length=5000)
    received_on = DaySerializerField()
    visit = ScopedPrimaryKeyRelatedField(
        queryset=Visit.objects.all(), scoped=visits_for, required=False, allow_null=True
    )
    handler = ScopedPrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)


class AssignSerializer(serializers.Serializer):
    handler = ScopedPrimaryKeyRelatedField(queryset=_staff())
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)


class DocumentsInputSerializer(serializers.Serializer):
    # Ids the database can hold: `pk__in` with a larger one raised OverflowError on SQLite (500).
    document_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False, max_length=100
    )
    received_on = DaySerializerField()


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=5000)
    resolved_on = DaySerializerField()


class FeedbackSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    feedback = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


STEP_INPUTS = {
    "assign": (AssignSerializer, services.appeal_assign),
    "notes": (NoteInputSerializer, services.appeal_note_add),
    "documents": (DocumentsInputSerializer, services.appeal_documents_receive),
    "resolve": (ResolveSerializer, services.appeal_resolve),
    "feedback": (FeedbackSerializer, services.appeal_feedback),
    "cancel": (CancelSerializer, services.appeal_cancel),
}


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals of the caller's area (问题诉求). `?urgency=overdue` lists those past their deadline."""

    permission_classes = [ModelPermissions]
    queryset = Appeal.objects.none()
    filterset_class = AppealFilter

    def get_queryset(self):
        queryset = appeal_list_for(user=self.request.user).order_by("-received_on", "-id")
        if self.action != "list":
            queryset = queryset.prefetch_related("notes__author", "documents")
        return queryset

    def get_serializer_class(self):
        return AppealSerializer if self.action == "list" else AppealDetailSerializer

    @extend_schema(request=AppealInputSerializer, responses={201: AppealDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = AppealInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        appeal = services.appeal_open(acting_user=request.user, **data.validated_data)
        return Response(AppealDetailSerializer(self.get_queryset().get(pk=appeal.pk)).data, status=201)

    def _step(self, request, name: str):
        appeal = self.get_object()
        serializer_class, service = STEP_INPUTS[name]
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        service(appeal=appeal, acting_user=request.user, **data.validated_data)
        return Response(AppealDetailSerializer(self.get_queryset().get(pk=appeal.pk)).data, status=status.HTTP_200_OK)

    @extend_schema(request=AssignSerializer, responses={200: AppealDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def assign(self, request, pk=None):
        return self._step(request, "assign")

    @extend_schema(request=NoteInputSerializer, responses={200: AppealDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def notes(self, request, pk=None):
        return self._step(request, "notes")

    @extend_schema(request=DocumentsInputSerializer, responses={200: AppealDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def documents(self, request, pk=None):
        return self._step(request, "documents")

    @extend_schema(request=ResolveSerializer, responses={200: AppealDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def resolve(self, request, pk=None):
        return self._step(request, "resolve")

    @extend_schema(request=FeedbackSerializer, responses={200: AppealDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def feedback(self, request, pk=None):
        return self._step(request, "feedback")

    @extend_schema(request=CancelSerializer, responses={200: AppealDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def cancel(self, request, pk=None):
        return self._step(request, "cancel")


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealCategory
        fields = ["id", "name", "kind", "deadline_days", "checklist", "active"]


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    serializer_class = CategorySerializer
    queryset = AppealCategory.objects.order_by("kind", "name")
    pagination_class = None
