"""REST API for hardship cases, their papers and steps, and relief funds; thin and scoped."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from assistance.filters import CaseFilter, EntryFilter
from assistance.models import AttachmentKind, CaseAttachment, CaseStep, CaseType, FundEntry, HardshipCase, ReliefFund
from assistance.rules import STEPS
from assistance.selectors import cases_for, entries_for, funds_for, where_case_money_came_from, where_income_went
from assistance.services import case_attach, case_open, case_step, fund_receive
from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from core.numbers import MONEY
from grids.api import ScopedPrimaryKeyRelatedField
from veterans.models import Veteran
from veterans.selectors import veterans_for
from visits.models import Visit


class CaseStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = CaseStep
        fields = ["action", "from_status", "to_status", "actor", "comment", "at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseAttachment
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class CaseSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    case_type_name = serializers.CharField(source="case_type.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    days_to_payment = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = HardshipCase
        fields = [
            "id",
            "veteran",
            "veteran_name",
            "case_type",
            "case_type_name",
            "grid",
            "grid_name",
            "status",
            "description",
            "reported_on",
            "visit",
            "amount_requested",
            "amount_approved",
            "special",
            "special_reason",
            "fund",
            "approved_at",
            "paid_at",
            "days_to_payment",
            "created_at",
        ]


class CaseDetailSerializer(CaseSerializer):
    steps = CaseStepSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    sources = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "steps", "attachments", "sources"]

    def get_sources(self, case) -> list[dict]:
        return [
            {"entry": t.source.pk, "kind": t.source.kind, "donor": t.source.donor_name, "amount": str(t.amount)}
            for t in where_case_money_came_from(case)
        ]


class CaseInputSerializer(serializers.Serializer):
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    case_type = serializers.PrimaryKeyRelatedField(queryset=CaseType.objects.all())
    description = serializers.CharField(max_length=5000)
    reported_on = DaySerializerField(required=False)  # from the visit when one is given
    amount_requested = serializers.DecimalField(**MONEY)
    visit = ScopedPrimaryKeyRelatedField(queryset=Visit.objects.all(), required=False, allow_null=True)


class StepInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(STEPS))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    special = serializers.BooleanField(default=False)
    special_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    fund = ScopedPrimaryKeyRelatedField(
        queryset=ReliefFund.objects.all(), scoped=funds_for, required=False, allow_null=True
    )


class AttachmentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField()


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Hardship cases of the caller's area. Steps and papers go through the same services as the
    desk pages, so a refused step answers 400 with the rule it broke."""

    permission_classes = [ModelPermissions]
    queryset = HardshipCase.objects.none()
    filterset_class = CaseFilter
    search_fields = ["veteran__name"]

    def get_queryset(self):
        queryset = cases_for(user=self.request.user).order_by("-created_at", "-id")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("steps__actor", "attachments")
        return queryset

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(request=CaseInputSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        data = CaseInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = case_open(acting_user=request.user, **data.validated_data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StepInputSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def step(self, request, pk=None):
        case = self.get_object()
        data = StepInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case_step(case=case, acting_user=request.user, **data.validated_data)
        return Response(CaseDetailSerializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request={"multipart/form-data": AttachmentInputSerializer}, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], permission_classes=[ViewModelPermission])
    def attachments(self, request, pk=None):
        case = self.get_object()
        data = AttachmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paper = case_attach(
            case=case, upload=data.validated_data["file"], kind=data.validated_data["kind"], acting_user=request.user
        )
        return Response(AttachmentSerializer(paper).data, status=status.HTTP_201_CREATED)


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReliefFund
        fields = ["id", "name", "level", "district", "street", "balance", "created_at"]


class FundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    serializer_class = FundSerializer
    queryset = ReliefFund.objects.none()
    filterset_fields = ["level", "district", "street"]

    def get_queryset(self):
        return funds_for(user=self.request.user)


class EntrySerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = FundEntry
        fields = [
            "id",
            "fund",
            "kind",
            "amount",
            "balance_after",
            "donor_kind",
            "donor_name",
            "receipt_no",
            "reference",
            "reverses",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["balance_after", "reverses", "created_by", "created_at"]


class IncomeInputSerializer(serializers.Serializer):
    fund = ScopedPrimaryKeyRelatedField(queryset=ReliefFund.objects.all(), scoped=funds_for)
    kind = serializers.ChoiceField(choices=["allocation", "donation"])
    amount = serializers.DecimalField(**MONEY)
    # Only a kind the ledger knows (the district fuzz stored "\u00adZ…" here, outside the schema).
    donor_kind = serializers.ChoiceField(
        choices=FundEntry._meta.get_field("donor_kind").choices, required=False, allow_blank=True, default=""
    )
    donor_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    receipt_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class TraceSerializer(serializers.Serializer):
    payment = serializers.IntegerField(source="payment.pk")
    case = serializers.IntegerField(source="case.pk", allow_null=True, default=None)
    amount = serializers.DecimalField(**MONEY)
    given_back = serializers.BooleanField()


class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The append-only ledger: money in is POSTed here; nothing is ever changed or deleted."""

    permission_classes = [ModelPermissions]
    serializer_class = EntrySerializer
    queryset = FundEntry.objects.none()
    filterset_class = EntryFilter

    def get_queryset(self):
        return entries_for(user=self.request.user).order_by("-id")

    @extend_schema(request=IncomeInputSerializer, responses={201: EntrySerializer})
    def create(self, request, *args, **kwargs):
        data = IncomeInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        entry = fund_receive(acting_user=request.user, **data.validated_data)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    # A bare list of one entry's payments: the ledger's filters and pages do not apply to it.
    @extend_schema(responses={200: TraceSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def trace(self, request, pk=None):
        """Where an allocation or donation went: the payments and cases it paid."""
        return Response(TraceSerializer(where_income_went(self.get_object()), many=True).data)
