"""REST API of volunteers and referrals: the district's teams, volunteers and providers (read in
the caller's district, added by its center), and referrals with every step of their handling,
through the same services as the desk and phone pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from appeals.models import Appeal
from appeals.selectors import appeals_for
from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from core.masking import mask_phone
from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import District
from referrals import services
from referrals.filters import ProviderFilter, ReferralFilter, TeamFilter, VolunteerFilter
from referrals.models import Provider, ProviderKind, Referral, ReferralNote, TeamKind, Volunteer, VolunteerTeam
from referrals.selectors import (
    average_days_to_close,
    providers_with_figures,
    referral_list_for,
    teams_for,
    volunteers_for,
)
from veterans.models import Veteran
from veterans.selectors import veterans_for
from visits.models import Visit
from visits.selectors import visits_for


class _DistrictListViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rows of the district's list, read in the caller's district; POST builds the row from the
    input and hands it to the list's service."""

    permission_classes = [ModelPermissions]

    input_serializer = None
    service = None
    keyword = ""

    def create(self, request, *args, **kwargs):
        data = self.input_serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        row = self.queryset.model(**data.validated_data)
        saved = type(self).service(**{self.keyword: row}, acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=saved.pk)).data, status=201)


# --- the district's list ----------------------------------------------------------------------------


class TeamSerializer(serializers.ModelSerializer):
    leader_phone = serializers.SerializerMethodField()

    class Meta:
        model = VolunteerTeam
        fields = ["id", "district", "name", "kind", "leader_name", "leader_phone", "description", "active"]

    def get_leader_phone(self, team) -> str:
        return mask_phone(team.leader_phone)


class TeamInputSerializer(serializers.Serializer):
    district = ScopedPrimaryKeyRelatedField(queryset=District.objects.all())
    name = serializers.CharField(max_length=50)
    kind = serializers.ChoiceField(choices=TeamKind.choices)
    leader_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    leader_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)


@extend_schema_view(create=extend_schema(request=TeamInputSerializer, responses={201: TeamSerializer}))
class VolunteerTeamViewSet(_DistrictListViewSet):
    """The district's volunteer teams (服务联盟)."""

    queryset = VolunteerTeam.objects.none()
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    input_serializer, service, keyword = TeamInputSerializer, staticmethod(services.team_save), "team"

    def get_queryset(self):
        return teams_for(user=self.request.user).order_by("district_id", "name")


class VolunteerSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = ["id", "team", "team_name", "name", "phone", "skills", "veteran", "active"]

    def get_phone(self, volunteer) -> str:
        return mask_phone(volunteer.phone)


class VolunteerInputSerializer(serializers.Serializer):
    team = ScopedPrimaryKeyRelatedField(queryset=VolunteerTeam.objects.all())
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    veteran = ScopedPrimaryKeyRelatedField(
        queryset=Veteran.objects.all(), scoped=veterans_for, required=False, allow_null=True
    )
    active = serializers.BooleanField(required=False, default=True)


@extend_schema_view(create=extend_schema(request=VolunteerInputSerializer, responses={201: VolunteerSerializer}))
class VolunteerViewSet(_DistrictListViewSet):
    """Volunteers of the district's teams; phones masked."""

    queryset = Volunteer.objects.none()
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilter
    input_serializer, service, keyword = VolunteerInputSerializer, staticmethod(services.volunteer_save), "volunteer"

    def get_queryset(self):
        return volunteers_for(user=self.request.user).order_by("team_id", "name", "id")


class AverageDaysField(serializers.DecimalField):
    """A provider's average days to close (of `providers_with_figures`), exact to one place and
    given as a string like every figure of the API ("2.3"); null before any is closed."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=8, decimal_places=1, read_only=True, allow_null=True, source="*", **kwargs)

    def get_attribute(self, instance):
        return average_days_to_close(instance)


class ProviderSerializer(serializers.ModelSerializer):
    received = serializers.IntegerField(read_only=True)
    accepted = serializers.IntegerField(read_only=True)
    closed = serializers.IntegerField(read_only=True)
    average_days = AverageDaysField()

    class Meta:
        model = Provider
        fields = [
            "id", "district", "name", "kind", "team", "services", "contact_name", "contact_phone", "address",
            "active", "received", "accepted", "closed", "average_days",
        ]  # fmt: skip


class ProviderInputSerializer(serializers.Serializer):
    district = ScopedPrimaryKeyRelatedField(queryset=District.objects.all())
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ProviderKind.choices)
    team = ScopedPrimaryKeyRelatedField(queryset=VolunteerTeam.objects.all(), required=False, allow_null=True)
    services = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)


@extend_schema_view(create=extend_schema(request=ProviderInputSerializer, responses={201: ProviderSerializer}))
class ProviderViewSet(_DistrictListViewSet):
    """The district's service providers (the only places a referral may go), with their figures
    over the caller's referrals: received, accepted, closed, average days to close."""

    queryset = Provider.objects.none()
    serializer_class = ProviderSerializer
    filterset_class = ProviderFilter
    input_serializer, service, keyword = ProviderInputSerializer, staticmethod(services.provider_save), "provider"

    def get_queryset(self):
        return providers_with_figures(user=self.request.user).order_by("district_id", "kind", "name")


# --- referrals ----------------------------------------------------------------------------------------


class ReferralNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")

    class Meta:
        model = ReferralNote
        fields = ["kind", "text", "author", "at"]


class ReferralSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id", "veteran", "veteran_name", "provider", "provider_name", "grid", "grid_name", "need",
            "referred_on", "status", "answered_on", "follow_up_on", "outcome", "closed_on", "days_to_close",
            "appeal", "visit", "created_at",
        ]  # fmt: skip


class ReferralDetailSerializer(ReferralSerializer):
    notes = ReferralNoteSerializer(many=True, read_only=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "notes"]


class ReferralInputSerializer(serializers.Serializer):
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    provider = ScopedPrimaryKeyRelatedField(queryset=Provider.objects.all())
    need = serializers.CharField(max_length=500)
    referred_on = DaySerializerField()
    follow_up_on = DaySerializerField(required=False, allow_null=True, default=None)
    appeal = ScopedPrimaryKeyRelatedField(
        queryset=Appeal.objects.all(), scoped=appeals_for, required=False, allow_null=True
    )
    visit = ScopedPrimaryKeyRelatedField(
        queryset=Visit.objects.all(), scoped=visits_for, required=False, allow_null=True
    )


class ReferralAnswerSerializer(serializers.Serializer):
    answered_on = DaySerializerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    follow_up_on = DaySerializerField(required=False, allow_null=True, default=None)


class ReferralNoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    follow_up_on = DaySerializerField(required=False, allow_null=True, default=None)


class ReferralCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000)
    closed_on = DaySerializerField()


class ReferralCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


STEP_INPUTS = {
    "accept": (ReferralAnswerSerializer, lambda **data: services.referral_answer(accepted=True, **data)),
    "decline": (ReferralAnswerSerializer, lambda **data: services.referral_answer(accepted=False, **data)),
    "notes": (ReferralNoteInputSerializer, services.referral_note_add),
    "close": (ReferralCloseSerializer, services.referral_close),
    "cancel": (ReferralCancelSerializer, services.referral_cancel),
}


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Referrals (转介) of the caller's area. `?stage=overdue` lists open ones whose follow-up
    date has passed."""

    permission_classes = [ModelPermissions]
    queryset = Referral.objects.none()
    filterset_class = ReferralFilter

    def get_queryset(self):
        queryset = referral_list_for(user=self.request.user).order_by("-referred_on", "-id")
        if self.action != "list":
            queryset = queryset.prefetch_related("notes__author")
        return queryset

    def get_serializer_class(self):
        return ReferralSerializer if self.action == "list" else ReferralDetailSerializer

    def _answer(self, referral):
        return Response(ReferralDetailSerializer(self.get_queryset().get(pk=referral.pk)).data)

    @extend_schema(request=ReferralInputSerializer, responses={201: ReferralDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = ReferralInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        referral = services.referral_make(acting_user=request.user, **data.validated_data)
        return Response(ReferralDetailSerializer(self.get_queryset().get(pk=referral.pk)).data, status=201)

    def _step(self, request, name: str):
        referral = self.get_object()
        serializer_class, service = STEP_INPUTS[name]
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        service(referral=referral, acting_user=request.user, **data.validated_data)
        return self._answer(referral)

    @extend_schema(request=ReferralAnswerSerializer, responses={200: ReferralDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def accept(self, request, pk=None):
        return self._step(request, "accept")

    @extend_schema(request=ReferralAnswerSerializer, responses={200: ReferralDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def decline(self, request, pk=None):
        return self._step(request, "decline")

    @extend_schema(request=ReferralNoteInputSerializer, responses={200: ReferralDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def notes(self, request, pk=None):
        return self._step(request, "notes")

    @extend_schema(request=ReferralCloseSerializer, responses={200: ReferralDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def close(self, request, pk=None):
        return self._step(request, "close")

    @extend_schema(request=ReferralCancelSerializer, responses={200: ReferralDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def cancel(self, request, pk=None):
        return self._step(request, "cancel")
