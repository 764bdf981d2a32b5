"""Shared API plumbing: errors, pagination and model permissions that also guard reads."""

import datetime

from rest_framework import exceptions, permissions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.dates import date_text, parse_clerk_date
from core.errors import ApplicationError


class LenientContentNegotiation(DefaultContentNegotiation):
    """An Accept header no renderer can satisfy (or cannot even be read) gets the default
    rendering rather than a 406 the schema does not list, as HTTP allows; a `?format=` asked
    for by name still has to exist."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            if format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE):
                raise
            return renderers[0], renderers[0].media_type


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """ApplicationError → 400 with its message under its field (403/404 for access rules)."""
    if isinstance(exc, ApplicationError):
        exc.settle()  # the view's transaction has rolled back by now
        if exc.code == "forbidden":
            return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
        if exc.code == "out_of_scope":
            return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
        body = {exc.field or "non_field_errors": [exc.message]}
        if exc.link:
            body["link"] = exc.link
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, with `view` required for reads too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def _queryset(self, view):
        # Only the model matters here. The declared `queryset` names it; DRF would otherwise
        # build the caller's scoped queryset (and load their scope) just to read `.model`.
        declared = getattr(view, "queryset", None)
        return declared if declared is not None else super()._queryset(view)


class ViewModelPermission(ModelPermissions):
    """For actions whose service checks the finer permission itself (workflow steps): the
    caller must at least be able to see the model."""

    perms_map = {method: ["%(app_label)s.view_%(model_name)s"] for method in ModelPermissions.perms_map}


class ClerkDateField(serializers.DateField):
    """A date as clerks type it (core.dates: 1998.12.01, 1998年12月, full-width digits...);
    a month-only value comes in as a MonthDate and goes out as YYYY-MM."""

    def to_internal_value(self, value):
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_clerk_date(str(value))
        except ApplicationError as error:
            raise serializers.ValidationError(error.message) from error

    def to_representation(self, value):
        return date_text(value) or None
