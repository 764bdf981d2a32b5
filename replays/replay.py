"""`replayable`: a phone form view that runs once per client_id, and answers the offline queue
in JSON.

The queue (static/js/offline.js) posts a form exactly as the page would, with the header
`X-Queue: 1`. The view's outcome becomes {"status": "stored" | "refused", ...}: a redirect is
stored (and its receipt written in the same transaction as the record), a form page rendered
again is refused with each field's messages, anything else is refused with its status. A
second post of the same client_id returns the receipt's outcome and runs nothing.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from replays.models import SubmitReceipt

QUEUE_HEADER = "X-Queue"


def from_queue(request: HttpRequest) -> bool:
    return request.headers.get(QUEUE_HEADER) == "1"


def client_id_of(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


def _form_errors(response: TemplateResponse) -> list[dict] | None:
    form = (response.context_data or {}).get("form")
    if form is None or not form.is_bound or not form.errors:
        return None
    rows = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        rows.append({"field": "" if name == "__all__" else name, "label": label, "messages": list(errors)})
    return rows


def _refused_text(response: HttpResponse) -> str:
    if response.status_code == 404:
        return _("该档案不存在或不在您的管辖范围内。")
    if response.status_code == 403:
        return _("您没有进行该操作的权限。")
    return _("服务器未能处理该提交（%(status)s）。") % {"status": response.status_code}


def queue_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The view's response, as the queue reads it (unchanged for a page's own post)."""
    if not from_queue(request):
        return response
    if isinstance(response, HttpResponseRedirect):
        return JsonResponse({"status": "stored", "location": response.url})
    if isinstance(response, JsonResponse):
        return response
    if isinstance(response, TemplateResponse):
        errors = _form_errors(response)
        if errors:
            return JsonResponse({"status": "refused", "errors": errors}, status=422)
    return JsonResponse({"status": "refused", "message": _refused_text(response)}, status=response.status_code)


def refused_with_messages(request: HttpRequest) -> JsonResponse:
    """For a view that tells its refusals through messages and a redirect (a step on a page):
    the queue gets those messages as the reason (they are taken, not shown again)."""
    texts = [str(m) for m in messages.get_messages(request) if m.level >= messages.ERROR]
    return JsonResponse(
        {"status": "refused", "message": "；".join(texts) or _refused_text(HttpResponse(422))}, status=422
    )


def _replayed(request: HttpRequest, receipt: SubmitReceipt) -> HttpResponse:
    if receipt.user_id != request.user.pk:  # another account's number: tell nothing of it
        return JsonResponse({"status": "refused", "message": _("提交编号无效，请重新填写。")}, status=409)
    if from_queue(request):
        return JsonResponse({"status": "stored", "location": receipt.location, "replayed": True})
    return HttpResponseRedirect(receipt.location)


def _refusals_answered(view):
    """A 404 or 403 raised by the view, answered to the queue in JSON (a page gets Django's)."""

    @wraps(view)
    def answered(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as refusal:
            if not from_queue(request):
                raise
            status = 404 if isinstance(refusal, Http404) else 403
            return JsonResponse(
                {"status": "refused", "message": _refused_text(HttpResponse(status=status))}, status=status
            )

    return answered


def replayable(form_name: str):
    """Wrap a phone form view (login already required outside this)."""

    def decorate(view):
        view = _refusals_answered(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            client_id = client_id_of(request) if request.method == "POST" else None
            if client_id is None:
                return queue_answer(request, view(request, *args, **kwargs))
            receipt = SubmitReceipt.objects.filter(client_id=client_id).first()
            if receipt is not None:
                return _replayed(request, receipt)
            try:
                with transaction.atomic():
                    response = view(request, *args, **kwargs)
                    if isinstance(response, HttpResponseRedirect):
                        SubmitReceipt.objects.create(
                            client_id=client_id, user=request.user, form=form_name, location=response.url[:200]
                        )
            except IntegrityError:
                # The same submission raced in twice; the other one stored it, this one rolled back.
                receipt = SubmitReceipt.objects.filter(client_id=client_id).first()
                if receipt is None:
                    raise
                return _replayed(request, receipt)
            return queue_answer(request, response)

        return wrapped

    return decorate
