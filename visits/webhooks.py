"""Delivering one reminder to a WeCom / DingTalk group robot."""

import json
import urllib.error
import urllib.request

from django.utils import timezone

from visits.models import DeliveryStatus, WebhookDelivery

TIMEOUT_SECONDS = 5


class WebhookError(Exception):
    pass


def post_json(url: str, payload: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 (the URL is an admin-configured https/http robot address)
        url, data=json.dumps(payload, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise WebhookError(str(error)) from error
    try:
        answer = json.loads(body or b"{}")
    except ValueError as error:
        raise WebhookError("not JSON") from error
    # Both robots answer {"errcode": 0, ...} on success.
    if answer.get("errcode", 0) != 0:
        raise WebhookError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return answer


def deliver(delivery_id: int) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_related("channel").get(pk=delivery_id)
    if delivery.status == DeliveryStatus.SENT:
        return delivery
    delivery.attempts += 1
    try:
        post_json(delivery.channel.url, delivery.payload)
    except WebhookError as error:
        delivery.last_error = str(error)[:500]
        delivery.save(update_fields=["attempts", "last_error"])
        raise
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["attempts", "status", "sent_at"])
    return delivery


def mark_failed(delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.FAILED)
