"""REST API of the employment registry: registry lines, partner employers, job fairs (read in
scope), and job referrals with their result, written through the same services as the admin."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from employment import services
from employment.filters import FairFilter, ProfileFilter, ReferralFilter
from employment.models import (
    Certificate,
    Employer,
    EmploymentProfile,
    JobFair,
    JobReferral,
    ReferralResult,
    StatusChange,
)
from employment.selectors import employers_for, fairs_for, profile_list_for, referrals_for
from grids.api import ScopedPrimaryKeyRelatedField
from veterans.models import Veteran
from veterans.selectors import veterans_for


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "changed_on", "note"]


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["name", "issuer", "issued_on"]


class ProfileSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = EmploymentProfile
        fields = [
            "id",
            "person",
            "person_name",
            "grid",
            "grid_name",
            "status",
            "status_since",
            "workplace",
            "skills",
            "wants_job",
            "wants_training",
            "wants_business",
            "wish_note",
            "registered_on",
        ]


class ProfileDetailSerializer(ProfileSerializer):
    changes = StatusChangeSerializer(many=True, read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "changes", "certificates"]


class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """就业创业实名登记 of the caller's area. `?status=seeking` lists those seeking work,
    `?placed_in=2026` those placed in that year, as the dashboard counts them."""

    permission_classes = [ModelPermissions]
    queryset = EmploymentProfile.objects.none()
    filterset_class = ProfileFilter

    def get_queryset(self):
        queryset = profile_list_for(user=self.request.user).order_by("-id")
        if self.action != "list":
            queryset = queryset.prefetch_related("changes", "certificates")
        return queryset

    def get_serializer_class(self):
        return ProfileSerializer if self.action == "list" else ProfileDetailSerializer


class EmployerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = ["id", "name", "credit_code", "district", "contact_name", "address", "veteran_owned", "active"]


class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Partner employers (合作企业) of the caller's district."""

    permission_classes = [ModelPermissions]
    queryset = Employer.objects.none()
    serializer_class = EmployerSerializer
    filterset_fields = ["active", "veteran_owned"]

    def get_queryset(self):
        return employers_for(user=self.request.user).order_by("name", "id")


class FairSerializer(serializers.ModelSerializer):
    attendance_count = serializers.IntegerField(source="attendances.count", read_only=True)

    class Meta:
        model = JobFair
        fields = [
            "id",
            "name",
            "held_on",
            "place",
            "district",
            "employers_count",
            "positions_count",
            "attendance_count",
        ]


class FairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Job fairs (招聘会) of the caller's district."""

    permission_classes = [ModelPermissions]
    queryset = JobFair.objects.none()
    serializer_class = FairSerializer
    filterset_class = FairFilter

    def get_queryset(self):
        return fairs_for(user=self.request.user).order_by("-held_on", "-id")


class JobReferralSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)

    class Meta:
        model = JobReferral
        fields = [
            "id",
            "person",
            "person_name",
            "employer",
            "employer_name",
            "position",
            "referred_on",
            "result",
            "result_on",
            "note",
        ]


class JobReferralInputSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    employer = ScopedPrimaryKeyRelatedField(queryset=Employer.objects.all())
    position = serializers.CharField(max_length=100)
    referred_on = DaySerializerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ResultInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[c for c in ReferralResult.choices if c[0] != ReferralResult.PENDING])
    result_on = DaySerializerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Job referrals (推荐就业) of the caller's area; `POST …/{id}/result/` records the employer's
    answer (已录用 makes the person 已就业)."""

    permission_classes = [ModelPermissions]
    queryset = JobReferral.objects.none()
    serializer_class = JobReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self):
        return referrals_for(user=self.request.user).order_by("-referred_on", "-id")

    @extend_schema(request=JobReferralInputSerializer, responses={201: JobReferralSerializer})
    def create(self, request, *args, **kwargs):
        data = JobReferralInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        referral = services.job_referral_create(acting_user=request.user, **data.validated_data)
        return Response(JobReferralSerializer(self.get_queryset().get(pk=referral.pk)).data, status=201)

    @extend_schema(request=ResultInputSerializer, responses={200: JobReferralSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def result(self, request, pk=None):
        referral = self.get_object()
        data = ResultInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.job_referral_result(referral=referral, acting_user=request.user, **data.validated_data)
        return Response(JobReferralSerializer(self.get_queryset().get(pk=referral.pk)).data)
