"""REST API for micro-wishes: scoped lists, collect, the workflow steps, and coverage. Thin: every
write is a service call, so a refused step answers 400 with the rule it broke."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import ModelPermissions, Pagination, ViewModelPermission
from core.inputs import DaySerializerField
from core.masking import mask_id_number, mask_phone
from core.numbers import MONEY
from grids.api import ScopedPrimaryKeyRelatedField
from veterans.models import PriorityCategory, Veteran
from veterans.selectors import veterans_for
from wishes.filters import WishFilter
from wishes.models import DonorKind, MicroWish
from wishes.selectors import wish_coverage, wishes_for
from wishes.services import wish_cancel, wish_claim, wish_collect, wish_confirm, wish_fulfil, wish_publish


class WishSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    donor_phone = serializers.SerializerMethodField()
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = MicroWish
        fields = [
            "id",
            "veteran",
            "veteran_name",
            "grid",
            "grid_name",
            "title",
            "description",
            "estimated_value",
            "status",
            "status_display",
            "collected_on",
            "published_at",
            "donor_kind",
            "donor_name",
            "donor_phone",
            "claimed_on",
            "fulfilled_on",
            "fulfilment_note",
            "photo_url",
            "confirmed_at",
            "cancel_reason",
            "created_at",
        ]

    def get_donor_phone(self, wish) -> str:
        return mask_phone(wish.donor_phone)

    def get_photo_url(self, wish) -> str | None:
        return reverse("wishes:photo", args=[wish.pk]) if wish.photo else None


class CollectInput(serializers.Serializer):
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    estimated_value = serializers.DecimalField(**MONEY)


class ClaimInput(serializers.Serializer):
    donor_kind = serializers.ChoiceField(choices=DonorKind.choices)
    donor_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    donor_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    claimed_on = DaySerializerField()


class FulfilInput(serializers.Serializer):
    fulfilled_on = DaySerializerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    photo = serializers.FileField()


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MissingSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    grid_name = serializers.CharField(source="grid.name")

    class Meta:
        model = Veteran
        fields = ["id", "name", "id_number", "grid", "grid_name"]

    def get_id_number(self, veteran) -> str:
        return mask_id_number(veteran.id_number)


class PaginatedMissingSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MissingSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=PriorityCategory.choices)
    target = serializers.IntegerField()
    with_wish = serializers.IntegerField()
    fulfilled = serializers.IntegerField()
    missed = serializers.IntegerField()
    missing = PaginatedMissingSerializer(help_text=gettext_lazy("还没有心愿的对象，分页"))


def _step(**options):
    """A POST workflow action: the caller must see wishes; the service checks the finer permission."""
    return action(detail=True, methods=["post"], permission_classes=[ViewModelPermission], **options)


class WishViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    serializer_class = WishSerializer
    queryset = MicroWish.objects.none()
    filterset_class = WishFilter

    def get_queryset(self):
        return wishes_for(user=self.request.user).order_by("-created_at", "-id")

    def _run(self, service, input_class=None):
        wish = self.get_object()  # out of scope: 404 before anything else
        data = {}
        if input_class is not None:
            checked = input_class(data=self.request.data)
            checked.is_valid(raise_exception=True)
            data = checked.validated_data
        service(wish=wish, acting_user=self.request.user, **data)
        return Response(WishSerializer(self.get_queryset().get(pk=wish.pk)).data)

    @extend_schema(request=CollectInput, responses={201: WishSerializer})
    def create(self, request, *args, **kwargs):
        data = CollectInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        wish = wish_collect(acting_user=request.user, **data.validated_data)
        return Response(WishSerializer(self.get_queryset().get(pk=wish.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: WishSerializer})
    @_step()
    def publish(self, request, pk=None):
        return self._run(wish_publish)

    @extend_schema(request=ClaimInput, responses={200: WishSerializer})
    @_step()
    def claim(self, request, pk=None):
        return self._run(wish_claim, ClaimInput)

    @extend_schema(request={"multipart/form-data": FulfilInput}, responses={200: WishSerializer})
    @_step(parser_classes=[MultiPartParser, FormParser])
    def fulfil(self, request, pk=None):
        return self._run(wish_fulfil, FulfilInput)

    @extend_schema(request=None, responses={200: WishSerializer})
    @_step()
    def confirm(self, request, pk=None):
        return self._run(wish_confirm)

    @extend_schema(request=CancelInput, responses={200: WishSerializer})
    @_step()
    def cancel(self, request, pk=None):
        return self._run(wish_cancel, CancelInput)

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=PriorityCategory.values),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=CoverageSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def coverage(self, request):
        """一个都不能少: the target group's figures and, paginated, who has no wish yet."""
        category = request.query_params.get("category", PriorityCategory.KOREAN_WAR)
        if category not in PriorityCategory.values:
            raise ValidationError({"category": [_("未知的对象类别。")]})
        figures = wish_coverage(user=request.user, category=category)
        paginator = Pagination()
        page = paginator.paginate_queryset(figures.missing, request, view=self)
        missing = paginator.get_paginated_response(MissingSerializer(page, many=True).data).data
        return Response(
            {
                "category": category,
                "target": figures.target,
                "with_wish": figures.with_wish,
                "fulfilled": figures.fulfilled,
                "missed": figures.missed,
                "missing": missing,
            }
        )
