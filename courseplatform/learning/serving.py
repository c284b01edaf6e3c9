"""Serving a private file with HTTP range requests (RFC 9110 §14): ``bytes=a-b``, ``bytes=a-`` and
``bytes=-n``; one range per request (browsers' video seeking asks for one). Unsatisfiable → 416."""

import os
import re

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(handle, start: int, length: int):
    with handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) inclusive; None: no (usable) range header, serve everything; False: unsatisfiable."""
    match = RANGE.match(header.strip()) if header else None
    if match is None:
        return None  # absent, or a form we do not support (several ranges): the whole file (RFC allows it)
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        n = int(last)
        if n == 0:
            return False
        return max(0, size - n), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def serve_file(request: HttpRequest, storage, name: str, content_type: str, *,
               download_name: str | None = None) -> HttpResponse:
    path = storage.path(name)
    size = os.path.getsize(path)
    wanted = parse_range(request.headers.get("Range", ""), size)
    head = request.method == "HEAD"
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = HttpResponse(content_type=content_type) if head else FileResponse(
            open(path, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        response = HttpResponse(status=206, content_type=content_type) if head else StreamingHttpResponse(
            _chunks(open(path, "rb"), first, last - first + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    # permission-checked content: never in a shared cache
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    if download_name:
        response["Content-Disposition"] = content_disposition_header(True, download_name)
    return response
