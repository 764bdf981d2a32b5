from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest

from veterans.exports import LEDGERS, ledger_response
from veterans.filters import VeteranFilterSet
from veterans.selectors import veterans_for


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def ledger_download(request, key: str):
    """A whole ledger for the user's area, narrowed by the same filters as the API."""
    if key not in LEDGERS:
        raise Http404
    filterset = VeteranFilterSet(request.GET, queryset=veterans_for(user=request.user))
    queryset = filterset.qs if filterset.is_valid() else veterans_for(user=request.user).none()
    return ledger_response(
        key, queryset, user=request.user, request=request, unmasked=request.GET.get("unmasked") == "1"
    )


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def person_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A person's photo, only through the file's scope, never from a public media URL."""
    veteran = veterans_for(user=request.user).filter(pk=pk).first()
    if veteran is None or not veteran.photo:
        raise Http404
    response = FileResponse(veteran.photo.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response
