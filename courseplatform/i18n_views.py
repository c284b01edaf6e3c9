"""The language switcher's view: Django's ``set_language``, translating ``next`` from its own language.

With ``prefix_default_language=False`` the switcher's POST goes to an unprefixed URL, where English is active,
so Django's ``translate_url`` cannot resolve a ``/zh-hans/…`` address and sends the visitor back to it: the
switch to English never took effect (found by the new-user walkthrough). The address is resolved here under
its own language first.
"""

from urllib.parse import urlsplit

from django.urls import translate_url
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language", "")
    location = response.headers.get("Location", "")
    if request.method != "POST" or response.status_code != 302 or not translation.check_for_language(language):
        return response
    current = translation.get_language_from_path(urlsplit(location).path)
    if current and current != language:
        with translation.override(current):
            response.headers["Location"] = translate_url(location, language)
    return response
