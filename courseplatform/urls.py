from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_GET

from . import health, i18n_views, media
from .catalog.sitemaps import SITEMAPS


def _plugin(app: str, route: str, urlconf: str) -> list:
    """A plugin's routes, only when its app is installed (``courseplatform.settings.core`` runs without them)."""
    return [path(route, include(urlconf))] if apps.is_installed(app) else []


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/setlang/", i18n_views.set_language, name="set_language"),
    path("api/", include("courseplatform.api.urls")),
    path("api/", include("courseplatform.events.urls")),
    *_plugin("recommender", "api/", "recommender.urls"),
    path("api/", include("courseplatform.search.api_urls")),
    path("", include("courseplatform.commerce.api_urls")),  # /api/orders, /payments/webhooks/<variant>/
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("courseplatform.accounts.urls")),
    path("privacy/", include("courseplatform.privacy.urls")),
    *_plugin("themes", "", "themes.urls"),
    path("", include("courseplatform.experiments.urls")),
    path("", include("courseplatform.pages.urls")),
    *_plugin("recommender", "staff/recommender/", "recommender.staff_urls"),
    path("", include("courseplatform.commerce.urls")),
    path("", include("courseplatform.search.urls")),
    path("", include("courseplatform.learning.urls")),
    path("", include("courseplatform.engagement.urls")),
    path("", include("courseplatform.moderation.urls")),
    path("", include("courseplatform.notifications.urls")),
    path("", include("courseplatform.catalog.urls")),
    prefix_default_language=False,
)
if settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.media, name="media")]
