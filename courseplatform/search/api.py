"""``GET /api/search``: the search of the results page as JSON (DRF, documented with drf-spectacular).

Same parameters and validation as the page (``forms.SearchForm``): a bad parameter is a 400 with a message
naming it. Throttled per client (``search`` rate, default 120/min); the search is logged like a page's."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from courseplatform.api.base import (
    COMMON_ERRORS,
    ClientRateThrottle,
    CsrfSessionAuthentication,
    DatabaseUnavailableMixin,
    RequestLanguageMixin,
)

from . import selectors, services
from .forms import DURATIONS, PRICES, RATINGS, SORTS, SearchForm
from .views import filters_of

DEFAULT_RATE = "120/min"


class SearchThrottle(ClientRateThrottle):
    scope = "search"

    def get_rate(self):
        return (api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
                or getattr(settings, "SEARCH_API_RATE", DEFAULT_RATE))


class SearchErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class FacetSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class ResultSerializer(serializers.Serializer):
    position = serializers.IntegerField(allow_null=True)
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()
    storefront = serializers.CharField()
    category = serializers.CharField()
    language = serializers.CharField()
    level = serializers.CharField()
    price = serializers.CharField()
    currency = serializers.CharField()
    rating = serializers.FloatField(allow_null=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    corrected_query = serializers.CharField(help_text="The query the results are for when the typed one "
                                                      "matched nothing (typo correction); empty otherwise.")
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ResultSerializer(many=True)
    facets = serializers.DictField(child=FacetSerializer(many=True))
    popular = ResultSerializer(many=True, help_text="Popular courses, when nothing matches.")


def _choices(pairs) -> list[str]:
    return [str(value) for value, _label in pairs if value != ""]


PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Search text (at most 100 characters); English or Chinese."),
    OpenApiParameter("category", OpenApiTypes.STR, description="Category slug."),
    OpenApiParameter("language", OpenApiTypes.STR, enum=["en", "zh-hans", "other"]),
    OpenApiParameter("level", OpenApiTypes.STR, enum=["beginner", "intermediate", "advanced"]),
    OpenApiParameter("price", OpenApiTypes.STR, enum=_choices(PRICES)),
    OpenApiParameter("min_price", OpenApiTypes.NUMBER, description="0 to 99999."),
    OpenApiParameter("max_price", OpenApiTypes.NUMBER, description="0 to 99999, not below min_price."),
    OpenApiParameter("rating", OpenApiTypes.INT, enum=[int(v) for v in _choices(RATINGS)],
                     description="Average rating at least this."),
    OpenApiParameter("duration", OpenApiTypes.STR, enum=[d[0] for d in DURATIONS],
                     description="Course length: under 2 hours, 2 to 6 hours, over 6 hours (courses whose "
                                 "curriculum gives a length)."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=_choices(SORTS), description="Default: relevance."),
    OpenApiParameter("page", OpenApiTypes.INT, description="1 to 500; 20 results a page."),
]


def _course(course, position: int | None = None) -> dict:
    return {"position": position, "id": course.pk, "title": course.title, "subtitle": course.subtitle,
            "url": course.get_absolute_url(), "storefront": course.storefront.name, "category": str(course.category),
            "language": course.language, "level": course.level, "price": f"{course.price:.2f}",
            "currency": getattr(course, "currency", "USD"),
            "rating": None if course.avg_rating is None else round(course.avg_rating, 2)}


class SearchView(RequestLanguageMixin, DatabaseUnavailableMixin, APIView):
    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [SearchThrottle]

    @extend_schema(
        operation_id="search",
        summary="Search published courses",
        description=("Full-text search over titles, subtitles, descriptions, categories and storefront names "
                     "(title weighted highest), with typo correction for Latin scripts and Chinese word "
                     "segmentation; filters, sorts and facet counts as on the search page. A logged-in learner's "
                     "relevance order blends in their personal score from the active recommender model."),
        parameters=PARAMETERS,
        responses={200: SearchResponseSerializer,
                   400: OpenApiResponse(SearchErrorSerializer, description="A parameter is not valid."),
                   429: COMMON_ERRORS[429], 503: COMMON_ERRORS[503]},
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            return Response({"detail": form.error_message(),
                             "errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
        params = form.cleaned_data
        found = selectors.search(params, request.user)
        if params["page"] == 1 and (params["q"] or any(params.get(n) not in (None, "") for n in selectors.FILTERS)):
            services.search_log(user=request.user, query=params["q"], filters=filters_of(params),
                                results=found.total, corrected=found.corrected, candidates=found.candidates,
                                blend_weight=found.blend_weight, source="api")
        offset = (found.page - 1) * selectors.PAGE_SIZE
        return Response({
            "query": params["q"], "corrected_query": found.corrected, "total": found.total, "page": found.page,
            "pages": found.pages,
            "results": [_course(c, offset + n) for n, c in enumerate(found.courses, start=1)],
            "facets": {name: [{"value": f.value, "label": f.label, "count": f.count, "selected": f.selected}
                              for f in items] for name, items in found.facets.items()},
            "popular": [_course(c) for c in found.popular],
        })
