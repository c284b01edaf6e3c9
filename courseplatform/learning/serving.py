"""Serving a private file with HTTP range requests (RFC 9110 §14): ``bytes=a-b``, ``bytes=a-`` and
``bytes=-n``; one range per request (browsers' video seeking asks for one). Unsatisfiable → 416.

On an object store (``STORAGE_BACKEND=s3``) the bytes stream from it with a ranged GET of just the asked
range, or, with ``LEARNING_MEDIA_DELIVERY=redirect``, the permission-checked request is answered with a
short-lived presigned URL (the store then answers the ranges itself)."""

import re

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

from courseplatform.storage import clean_name, local_path

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


def _object_range(storage, name: str, first: int, last: int):
    """Bytes first..last of an object-store file, read as they are sent (a ranged GET where the backend is
    django-storages' S3, else the storage's file object, seeked)."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        key = storage._normalize_name(clean_name(name))  # django-storages' own key for the name
        body = bucket.Object(key).get(Range=f"bytes={first}-{last}")["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()
        return
    yield from _chunks(storage.open(name, "rb"), first, last - first + 1)


def _opener(storage, name: str):
    path = local_path(storage, name)
    if path is not None:
        return path.stat().st_size, lambda first, last: _chunks(open(path, "rb"), first, last - first + 1)
    return storage.size(name), lambda first, last: _object_range(storage, name, first, last)


def serve_file(request: HttpRequest, storage, name: str, content_type: str, *,
               download_name: str | None = None) -> HttpResponse:
    if local_path(storage, name) is None and settings.LEARNING_MEDIA_DELIVERY == "redirect":
        params = {"ResponseContentType": content_type}
        if download_name:
            params["ResponseContentDisposition"] = content_disposition_header(True, download_name)
        response = HttpResponseRedirect(storage.url(name, parameters=params))
        response["Cache-Control"] = "private, no-store"  # the URL is a short-lived credential
        return response
    size, read = _opener(storage, name)
    wanted = parse_range(request.headers.get("Range", ""), size)
    head = request.method == "HEAD"
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        path = local_path(storage, name)
        if head:
            response = HttpResponse(content_type=content_type)
        elif path is not None:
            response = FileResponse(open(path, "rb"), content_type=content_type)
        else:
            response = StreamingHttpResponse(read(0, size - 1) if size else iter(()), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        response = HttpResponse(status=206, content_type=content_type) if head else StreamingHttpResponse(
            read(first, last), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    # permission-checked content: never in a shared cache
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    if download_name:
        response["Content-Disposition"] = content_disposition_header(True, download_name)
    return response
