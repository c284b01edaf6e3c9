"""Send visitors whose browser prefers another language to that language's prefixed URL.

English pages live at unprefixed URLs (``prefix_default_language=False``); Django's LocaleMiddleware then
always serves English there. This middleware honours the language cookie (set by the switcher) and the
``Accept-Language`` header for HTML page views, redirecting once to the prefixed URL (e.g. ``/zh-hans/…``),
which keeps the language on every link from then on.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation

SKIP_PREFIXES = ("/api/", "/healthz", "/i18n/", "/static/", "/media/")


class PreferredLanguageRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect(request)
        return redirect or self.get_response(request)

    def _redirect(self, request):
        path = request.path_info
        if request.method != "GET" or path.startswith(SKIP_PREFIXES) or "text/html" not in request.headers.get(
                "Accept", ""):
            return None
        if translation.get_language_from_path(path):
            return None
        preferred = translation.get_language_from_request(request, check_path=False)
        if not preferred or preferred == settings.LANGUAGE_CODE:
            return None
        query = request.META.get("QUERY_STRING", "")
        target = f"/{preferred}{path}" + (f"?{query}" if query else "")
        response = HttpResponseRedirect(target)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response
