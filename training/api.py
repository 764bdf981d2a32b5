"""REST API for skills training: the district's providers and courses, and the enrolments of the
caller's area with attendance, completion and dropping out, through the same services as the
admin and the phone."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelPermissions, ViewModelPermission
from core.inputs import DaySerializerField
from grids.api import ScopedPrimaryKeyRelatedField
from grids.models import District, Street
from training import services
from training.filters import CourseFilter, EnrolmentFilter
from training.models import Course, Enrolment, TrainingProvider
from training.selectors import attendance_rate, course_list_for, courses_for, enrolment_list_for, providers_for
from veterans.models import Veteran
from veterans.selectors import veterans_for


class TrainingProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingProvider
        fields = ["id", "name", "kind", "district", "contact", "phone", "address", "active"]


class ProviderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Training providers of the caller's district (培训机构)."""

    permission_classes = [ModelPermissions]
    queryset = TrainingProvider.objects.none()
    serializer_class = TrainingProviderSerializer

    def get_queryset(self):
        return providers_for(user=self.request.user).order_by("name", "id")


class CourseSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    places_taken = serializers.IntegerField(source="taken", read_only=True)

    class Meta:
        model = Course
        fields = ["id", *services.COURSE_FIELDS, "provider_name", "places_taken", "status"]


class CourseInputSerializer(serializers.Serializer):
    provider = ScopedPrimaryKeyRelatedField(queryset=TrainingProvider.objects.all(), scoped=providers_for)
    title = serializers.CharField(max_length=100)
    trade = serializers.CharField(max_length=50)
    district = ScopedPrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    street = ScopedPrimaryKeyRelatedField(queryset=Street.objects.all(), required=False, allow_null=True)
    starts_on = DaySerializerField()
    ends_on = DaySerializerField()
    enrol_deadline = DaySerializerField()
    places = serializers.IntegerField(min_value=1, max_value=100000)
    certificate_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Training courses of the caller's district (培训课程), with the places taken."""

    permission_classes = [ModelPermissions]
    queryset = Course.objects.none()
    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self):
        return course_list_for(user=self.request.user).order_by("-starts_on", "-id")

    @extend_schema(request=CourseInputSerializer, responses={201: CourseSerializer})
    def create(self, request, *args, **kwargs):
        data = CourseInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        course = services.course_create(acting_user=request.user, **data.validated_data)
        return Response(CourseSerializer(self.get_queryset().get(pk=course.pk)).data, status=201)


class EnrolmentSerializer(serializers.ModelSerializer):
    veteran_name = serializers.CharField(source="veteran.name", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    days_recorded = serializers.IntegerField(read_only=True)
    days_present = serializers.IntegerField(read_only=True)
    attendance_rate = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "course_title",
            "veteran",
            "veteran_name",
            "grid",
            "grid_name",
            "enrolled_on",
            "status",
            "completed_on",
            "certificate_number",
            "certificate_on",
            "dropped_reason",
            "days_recorded",
            "days_present",
            "attendance_rate",
        ]

    def get_attendance_rate(self, enrolment) -> str | None:
        rate = attendance_rate(enrolment)
        return None if rate is None else str(rate)


class EnrolmentInputSerializer(serializers.Serializer):
    course = ScopedPrimaryKeyRelatedField(queryset=Course.objects.all(), scoped=courses_for)
    veteran = ScopedPrimaryKeyRelatedField(queryset=Veteran.objects.all(), scoped=veterans_for)
    enrolled_on = DaySerializerField()


class AttendanceInputSerializer(serializers.Serializer):
    day = DaySerializerField()
    present = serializers.BooleanField()


class CompleteSerializer(serializers.Serializer):
    completed_on = DaySerializerField()
    certificate_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    certificate_on = DaySerializerField(required=False, allow_null=True, default=None)


class DropSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


STEP_INPUTS = {
    "attendance": (AttendanceInputSerializer, services.attendance_record),
    "complete": (CompleteSerializer, services.enrolment_complete),
    "drop": (DropSerializer, services.enrolment_drop),
}


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enrolments of the caller's area (培训报名). `?trained_year=2026` lists one row per person who
    took part that year (the board's figure); `?certified_year=` likewise for certificates."""

    permission_classes = [ModelPermissions]
    queryset = Enrolment.objects.none()
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter

    def get_queryset(self):
        return enrolment_list_for(user=self.request.user).order_by("-enrolled_on", "-id")

    def _answer(self, enrolment, code=status.HTTP_200_OK):
        return Response(EnrolmentSerializer(self.get_queryset().get(pk=enrolment.pk)).data, status=code)

    @extend_schema(request=EnrolmentInputSerializer, responses={201: EnrolmentSerializer})
    def create(self, request, *args, **kwargs):
        data = EnrolmentInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        enrolment = services.enrolment_create(acting_user=request.user, **data.validated_data)
        return self._answer(enrolment, status.HTTP_201_CREATED)

    def _step(self, request, name: str):
        enrolment = self.get_object()
        serializer_class, service = STEP_INPUTS[name]
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        service(enrolment=enrolment, acting_user=request.user, **data.validated_data)
        return self._answer(enrolment)

    @extend_schema(request=AttendanceInputSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def attendance(self, request, pk=None):
        return self._step(request, "attendance")

    @extend_schema(request=CompleteSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def complete(self, request, pk=None):
        return self._step(request, "complete")

    @extend_schema(request=DropSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ViewModelPermission])
    def drop(self, request, pk=None):
        return self._step(request, "drop")
