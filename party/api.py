"""REST API for party organisations, memberships and follow-ups: list and read in scope, and
every write through the same services as the admin and the desk page."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import Community, District, Grid, Street
from party import services
from party.filters import FollowUpFilter, MembershipFilter, OrganisationFilter
from party.models import FollowUp, FollowUpStep, Membership, OrganisationKind, PartyOrganisation, StepKind
from party.selectors import followup_list_for, memberships_for, organisation_list_for
from veterans.models import Veteran
from veterans.selectors import veterans_for


def _organisations(user):
    return organisation_list_for(user=user)


class PartyOrganisationSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartyOrganisation
        fields = [
            "id", "name", "kind", "parent", "district", "street", "community", "grid", "employer",
            "secretary_name", "active", "member_count",
        ]  # fmt: skip


class PartyOrganisationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    parent = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrganisation.objects.all(), required=False, allow_null=True, default=None
    )
    district = ScopedPrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    street = ScopedPrimaryKeyRelatedField(queryset=Street.objects.all(), required=False, allow_null=True)
    community = ScopedPrimaryKeyRelatedField(queryset=Community.objects.all(), required=False, allow_null=True)
    grid = ScopedPrimaryKeyRelatedField(queryset=Grid.objects.all(), required=False, allow_null=True)
    employer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    secretary_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Party organisations of the caller's area (党组织), with their current member counts."""

    permission_classes = [ModelPermissions]
    queryset = PartyOrganisation.objects.none()
    serializer_class = PartyOrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return _organisations(self.request.user).order_by("name", "id")

    @extend_schema(request=PartyOrganisationInputSerializer, responses={201: PartyOrganisationSerializer})
    def create(self, request, *args, **kwargs):
        data = PartyOrganisationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        organisation = services.organisation_save(
            organisation=PartyOrganisation(**data.validated_data), acting_user=request.user
        )
        return Response(PartyOrganisationSerializer(self.get_queryset().get(pk=organisation.pk)).data, status=201)


class PartyMembershipSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person", "person_name", "organisation", "organisation_name", "joined_on", "left_on"]


class PartyMembershipInputSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    organisation = ScopedPrimaryKeyRelatedField(queryset=PartyOrganisation.objects.all())
    joined_on = DaySerializerField()


class PartyMembershipEndSerializer(serializers.Serializer):
    left_on = DaySerializerField()


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Which organisation each party member is under (党员组织隶属); one active at a time."""

    permission_classes = [ModelPermissions]
    queryset = Membership.objects.none()
    serializer_class = PartyMembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self):
        return memberships_for(user=self.request.user).order_by("-joined_on", "-id")

    @extend_schema(request=PartyMembershipInputSerializer, responses={201: PartyMembershipSerializer})
    def create(self, request, *args, **kwargs):
        data = PartyMembershipInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        membership = services.membership_add(acting_user=request.user, **data.validated_data)
        return Response(PartyMembershipSerializer(self.get_queryset().get(pk=membership.pk)).data, status=201)

    @extend_schema(request=PartyMembershipEndSerializer, responses={200: PartyMembershipSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def end(self, request, pk=None):
        membership = self.get_object()
        data = PartyMembershipEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.membership_end(membership=membership, acting_user=request.user, **data.validated_data)
        return Response(PartyMembershipSerializer(self.get_queryset().get(pk=membership.pk)).data)


class PartyFollowUpStepSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = FollowUpStep
        fields = ["on", "kind", "note", "recorded_by"]

    def get_recorded_by(self, step) -> str:
        return step.recorded_by.username if step.recorded_by else ""


class PartyFollowUpSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    organisation = serializers.SerializerMethodField()
    steps = PartyFollowUpStepSerializer(many=True, read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "person", "person_name", "relation_at_opening", "grid", "assigned_to", "opened_on", "status",
            "closed_on", "organisation", "steps",
        ]  # fmt: skip

    def get_organisation(self, follow_up) -> int | None:
        return follow_up.membership.organisation_id if follow_up.membership else None


def _staff():
    return get_user_model().objects.filter(is_active=True, staff_profile__isnull=False)


class PartyFollowUpInputSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    opened_on = DaySerializerField(required=False)
    assigned_to = ScopedPrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)


class PartyFollowUpAssignSerializer(serializers.Serializer):
    assigned_to = ScopedPrimaryKeyRelatedField(queryset=_staff())


class PartyFollowUpStepInputSerializer(serializers.Serializer):
    on = DaySerializerField()
    kind = serializers.ChoiceField(choices=StepKind.choices)
    note = serializers.CharField(max_length=500)


class PartyFollowUpCloseSerializer(serializers.Serializer):
    """`organisation` and `joined_on` bring the member in first; without them the member must
    already be under an organisation."""

    closed_on = DaySerializerField()
    organisation = ScopedPrimaryKeyRelatedField(queryset=PartyOrganisation.objects.all(), required=False)
    joined_on = DaySerializerField(required=False)

    def validate(self, attrs):
        if ("organisation" in attrs) != ("joined_on" in attrs):
            raise serializers.ValidationError({"joined_on": _("转入党组织时请同时填写党组织和转入日期。")})
        return attrs


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-ups of pocket and mobile members (口袋党员、流动党员纳入组织管理).
    `?overdue=true` lists those open for more than 30 days."""

    permission_classes = [ModelPermissions]
    queryset = FollowUp.objects.none()
    serializer_class = PartyFollowUpSerializer
    filterset_class = FollowUpFilter

    def get_queryset(self):
        queryset = followup_list_for(user=self.request.user).select_related("membership")
        return queryset.prefetch_related("steps__recorded_by").order_by("-opened_on", "-id")

    def _answer(self, follow_up, status=200):
        return Response(PartyFollowUpSerializer(self.get_queryset().get(pk=follow_up.pk)).data, status=status)

    @extend_schema(request=PartyFollowUpInputSerializer, responses={201: PartyFollowUpSerializer})
    def create(self, request, *args, **kwargs):
        data = PartyFollowUpInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return self._answer(services.followup_open(acting_user=request.user, **data.validated_data), status=201)

    def _input(self, request, serializer_class):
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=PartyFollowUpAssignSerializer, responses={200: PartyFollowUpSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def assign(self, request, pk=None):
        follow_up = self.get_object()
        data = self._input(request, PartyFollowUpAssignSerializer)
        return self._answer(services.followup_assign(follow_up=follow_up, acting_user=request.user, **data))

    @extend_schema(request=PartyFollowUpStepInputSerializer, responses={200: PartyFollowUpSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def steps(self, request, pk=None):
        follow_up = self.get_object()
        data = self._input(request, PartyFollowUpStepInputSerializer)
        services.followup_step_add(follow_up=follow_up, acting_user=request.user, **data)
        return self._answer(follow_up)

    @extend_schema(request=PartyFollowUpCloseSerializer, responses={200: PartyFollowUpSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def close(self, request, pk=None):
        follow_up = self.get_object()
        data = self._input(request, PartyFollowUpCloseSerializer)
        if "organisation" in data:
            follow_up = services.followup_bring_in(follow_up=follow_up, acting_user=request.user, **data)
        else:
            follow_up = services.followup_close(follow_up=follow_up, acting_user=request.user, **data)
        return self._answer(follow_up)
