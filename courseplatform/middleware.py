"""Send visitors whose browser prefers another language to that language's prefixed URL.

English pages live at unprefixed URLs (``prefix_default_language=False``); Django's LocaleMiddleware then
always serves English there. This middleware honours the language cookie (set by the switcher) and the
``Accept-Language`` header for HTML page views, redirecting once to the prefixed URL (e.g. ``/zh-hans/…``),
which keeps the language on every link from then on.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

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


class RejectControlCharactersMiddleware:
    """Answer 400 to a query or form field carrying a NUL byte, before any view sees it.

    PostgreSQL cannot store NUL in text and raises DataError mid-query (a 500); no legitimate form or
    link carries one, so it is refused at the edge with a clear message (JSON for the API).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            message = _("The request contains a NUL character, which no field accepts.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": str(message)}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class PrivateForSignedInMiddleware:
    """A page rendered for a signed-in person is theirs: ``Cache-Control: private`` unless the view chose.

    Shared caches (a CDN, a corporate proxy) must never hand one learner's themed page, feed or studio to
    another; responses that set their own policy (immutable stylesheets and covers) keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # a response that never read the session cannot depend on who is signed in
        if session is None or not session.accessed or response.has_header("Cache-Control"):
            return response
        try:
            signed_in = SESSION_KEY in session  # the loaded session says it; no user query
        except Exception:  # the session store is down (the view already answered, e.g. 503): err on private
            signed_in = True
        if signed_in:
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response
