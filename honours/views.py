"""The delivery photo of a merit notice, served only through the notice's scope, never from a
public media URL."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404

from honours.selectors import merit_notices_for


@login_required
@permission_required("honours.view_meritnotice", raise_exception=True)
def notice_photo(request, pk: int) -> FileResponse:
    notice = merit_notices_for(user=request.user).filter(pk=pk).first()
    if notice is None or not notice.photo:
        raise Http404
    response = FileResponse(notice.photo.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response
