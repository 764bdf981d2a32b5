"""`POST /api/visits/` for the plain submit, answered without DRF's dispatch.

Nearly every submit is the same small form from a logged-in session: a form number, a veteran,
a method, perhaps the time and a few words. For those, DRF's request wrapping, negotiation,
serializer and renderer cost more Python than recording the visit does (measured by `make bench`
against a do-nothing view). This answers them with DRF's own pieces used directly: the session
user, SessionAuthentication's CSRF check, the input serializer's field objects and the output
serializer. Anything else (other fields, Basic auth, a query string, a missing permission, any
invalid value, any refusal, a replayed form) returns None and DRF's view serves the request from
the start, so every error message and status is DRF's own.
"""

import json

from django.http import HttpResponse
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from core.db.known_rows import known_row
from core.errors import ApplicationError
from veterans.models import Veteran
from visits.services import visit_record

# Fields of the plain form, passed to visit_record as they are; anything else goes through DRF.
PLAIN_FIELDS = frozenset(
    {"client_id", "veteran", "method", "visited_at", "findings", "needs", "money", "goods", "goods_value"}
)
REQUIRED = frozenset({"client_id", "veteran", "method"})
_session = SessionAuthentication()


def plain_submit(request, *, input_fields, shown) -> HttpResponse | None:
    """The answer to a plain visit submit, or None for DRF to serve the request.

    `input_fields`: the input serializer's declared fields (the same rules, not a copy of them);
    `shown`: the serializer instance that shows a visit."""
    user = _unwrapped(request.user)
    if (
        request.GET
        or "HTTP_AUTHORIZATION" in request.META
        or request.content_type != "application/json"
        or not user.is_authenticated
        or not user.is_active
    ):
        return None
    try:
        _session.enforce_csrf(request)
    except exceptions.PermissionDenied:
        return None
    fields = _plain_fields(request.body, input_fields)
    if fields is None or not user.has_perm("visits.add_visit"):
        return None
    try:
        veteran = known_row(Veteran, None, id=fields.pop("veteran"))
        visit, created = visit_record(acting_user=user, veteran=veteran, **fields)
    except ApplicationError:
        return None  # nothing was written: DRF's view runs it again and words the refusal
    if not created:
        return None  # the replayed visit was read with a few columns: DRF's view shows it whole
    body = json.dumps(shown.to_representation(visit), ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json", status=200)
    response["Visit-Created"] = "true"
    return response


def _unwrapped(user):
    """The user behind AuthenticationMiddleware's lazy `request.user`: each attribute read through
    the lazy proxy raises and catches an AttributeError inside it, and a submit reads the user
    some eighty times (scope, permission, visitors, audit). A user that is no proxy, as it is."""
    user.is_authenticated  # noqa: B018 (loads the user behind the proxy)
    return getattr(user, "_wrapped", user)


def _plain_fields(body: bytes, input_fields) -> dict | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not REQUIRED <= data.keys() <= PLAIN_FIELDS:
        return None
    try:
        return {name: input_fields[name].run_validation(value) for name, value in data.items()}
    except exceptions.ValidationError:
        return None
