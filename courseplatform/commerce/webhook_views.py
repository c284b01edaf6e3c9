"""``POST /payments/webhooks/<variant>/``: a provider's event, verified by its adapter (signature, freshness),
processed once per event id. Bad deliveries get a 4xx and a log line, never a 500; a processing failure gets a
503 so the provider retries it."""

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import webhooks
from .models import Payment
from .providers import IGNORED, WebhookRejected, webhook_adapter

logger = logging.getLogger(__name__)


@csrf_exempt  # providers sign their deliveries instead (verified by the adapter)
@require_POST
def webhook(request, variant):
    adapter = webhook_adapter(variant)
    if adapter is None:
        logger.warning("webhook for unknown payment variant %r", variant[:40])
        return JsonResponse({"error": "unknown payment provider"}, status=404)
    try:
        event = adapter.parse(request)
    except WebhookRejected as rejected:
        logger.warning("webhook %s rejected (%s): %s", variant, rejected.status, rejected.reason)
        return JsonResponse({"error": rejected.reason}, status=rejected.status)
    payment = None
    if event.outcome != IGNORED:
        payment = Payment.objects.filter(variant=variant, token=event.token).first()
        if payment is None:
            logger.warning("webhook %s event %s for an unknown payment", variant, event.event_id)
            return JsonResponse({"error": "unknown payment"}, status=404)
    try:
        status = webhooks.webhook_process(variant, event, payment)
    except Exception:
        return JsonResponse({"error": "processing failed; retry"}, status=503)
    return JsonResponse({"status": str(status)})
