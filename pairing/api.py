"""REST API for pairing: /api/pairings/ (pairs: list, read, start, end, record a gift) and
/api/pair-contacts/ (a pair's visits and calls: list, read, record), in scope, through the same
services as the admin and phone pages. Phones go out masked only."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from core.masking import mask_phone
from grids.api import ScopedPrimaryKeyRelatedField
from pairing import services
from pairing.filters import PairContactFilter, PairFilter
from pairing.models import ContactWay, EndReason, Pair, PairContact, PairGift, PartnerKind
from pairing.selectors import contacts_for, pair_list_for, pairs_for
from veterans.models import Veteran
from veterans.selectors import veterans_for


class PairGiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairGift
        fields = ["id", "given_on", "description", "value"]


class PairContactSerializer(serializers.ModelSerializer):
    veteran = serializers.IntegerField(source="pair.veteran_id", read_only=True)
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PairContact
        fields = ["id", "pair", "veteran", "contacted_on", "way", "note", "recorded_by_name", "created_at"]

    def get_recorded_by_name(self, contact) -> str:
        return contact.recorded_by.get_full_name() or contact.recorded_by.get_username()


class PairingSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Pair
        fields = [
            "id",
            "veteran",
            "veteran_name",
            "grid",
            "grid_name",
            "partner_kind",
            "partner_name",
            "partner_user",
            "partner_organisation",
            "contact_phone",
            "started_on",
            "ended_on",
            "end_reason",
            "active",
            "note",
        ]

    def get_contact_phone(self, pair) -> str:
        """Masked: 139****1234."""
        return mask_phone(pair.contact_phone)


class PairingDetailSerializer(PairingSerializer):
    contacts = PairContactSerializer(many=True, read_only=True)
    gifts = PairGiftSerializer(many=True, read_only=True)

    class Meta(PairingSerializer.Meta):
        fields = [*PairingSerializer.Meta.fields, "contacts", "gifts"]


class PairingInputSerializer(serializers.Serializer):
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    partner_kind = serializers.ChoiceField(choices=PartnerKind.choices)
    partner_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    partner_user = ScopedPrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True, staff_profile__isnull=False),
        required=False,
        allow_null=True,
    )
    partner_organisation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    started_on = DaySerializerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PairingEndSerializer(serializers.Serializer):
    ended_on = DaySerializerField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


class PairGiftInputSerializer(serializers.Serializer):
    given_on = DaySerializerField()
    description = serializers.CharField(max_length=200)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True)


class PairContactInputSerializer(serializers.Serializer):
    pair = ScopedPrimaryKeyRelatedField(queryset=Pair.objects.all(), scoped=pairs_for)
    contacted_on = DaySerializerField()
    way = serializers.ChoiceField(choices=ContactWay.choices, required=False, default=ContactWay.HOME_VISIT)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PairingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One-to-one pairs of the caller's area (一对一结对). `?key_group=any&active=true` lists the
    key-group people's active pairs."""

    permission_classes = [ModelPermissions]
    queryset = Pair.objects.none()
    filterset_class = PairFilter

    def get_queryset(self):
        queryset = pair_list_for(user=self.request.user).order_by("-started_on", "-id")
        if self.action != "list":
            queryset = queryset.prefetch_related("contacts__recorded_by", "gifts")
        return queryset

    def get_serializer_class(self):
        return PairingSerializer if self.action == "list" else PairingDetailSerializer

    def _detail(self, pair, status=200):
        return Response(PairingDetailSerializer(self.get_queryset().get(pk=pair.pk)).data, status=status)

    @extend_schema(request=PairingInputSerializer, responses={201: PairingDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = PairingInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return self._detail(services.pair_start(acting_user=request.user, **data.validated_data), status=201)

    @extend_schema(request=PairingEndSerializer, responses={200: PairingDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def end(self, request, pk=None):
        pair = self.get_object()  # first: a pair outside the area is a 404 whatever the body
        data = PairingEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.pair_end(pair=pair, acting_user=request.user, **data.validated_data))

    @extend_schema(request=PairGiftInputSerializer, responses={200: PairingDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def gifts(self, request, pk=None):
        pair = self.get_object()
        data = PairGiftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.pair_gift_record(pair=pair, acting_user=request.user, **data.validated_data)
        return self._detail(pair)


class PairContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits and calls made by the pairs of the caller's area (结对走访)."""

    permission_classes = [ModelPermissions]
    queryset = PairContact.objects.none()
    serializer_class = PairContactSerializer
    filterset_class = PairContactFilter

    def get_queryset(self):
        contacts = contacts_for(user=self.request.user).select_related("pair", "recorded_by")
        return contacts.order_by("-contacted_on", "-id")

    @extend_schema(request=PairContactInputSerializer, responses={201: PairContactSerializer})
    def create(self, request, *args, **kwargs):
        data = PairContactInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        contact = services.pair_contact_record(acting_user=request.user, **data.validated_data)
        return Response(PairContactSerializer(self.get_queryset().get(pk=contact.pk)).data, status=201)
