"""Uploaded media (storefront logos) served by the application where no proxy serves them.

Uploads are public images, re-encoded on upload. A reverse proxy may serve ``MEDIA_ROOT`` at ``MEDIA_URL``
itself (README: "Serving media") and ``SERVE_MEDIA=false`` then turns this view off; otherwise it serves
them in production too: GET/HEAD only, paths confined to ``MEDIA_ROOT`` (``safe_join`` in Django's static
``serve``), image types only, cached by browsers for a day (replaced logos get new names).
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    if PurePosixPath(path).suffix.lower() not in IMAGE_SUFFIXES:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response
