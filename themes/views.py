from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from courseplatform.catalog.models import Course

from . import cover_store


@require_GET
def course_cover(request, pk):
    course = Course.objects.select_related("storefront__owner", "category").filter(pk=pk).first()
    if course is None or not (course.published or course.storefront.owner_id == request.user.pk):
        raise Http404
    size = request.GET.get("size", "card")
    if size not in cover_store.SIZES:
        raise Http404
    cover = cover_store.cover_for(course, size)
    etag = f'"{cover.digest}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(cover.path.read_bytes(), content_type=cover.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable" if request.GET.get("v") else "public, max-age=300"
    return response
