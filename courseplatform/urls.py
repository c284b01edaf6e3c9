from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import health, i18n_views, media

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", i18n_views.set_language, name="set_language"),
    path("api/", include("recommender.urls")),
    path("api/", include("courseplatform.search.api_urls")),
    path("", include("courseplatform.commerce.api_urls")),  # /api/orders, /payments/webhooks/<variant>/
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("courseplatform.accounts.urls")),
    path("", include("themes.urls")),
    path("", include("courseplatform.experiments.urls")),
    path("", include("courseplatform.pages.urls")),
    path("staff/recommender/", include("recommender.staff_urls")),
    path("", include("courseplatform.commerce.urls")),
    path("", include("courseplatform.search.urls")),
    path("", include("courseplatform.catalog.urls")),
    prefix_default_language=False,
)
if settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.media, name="media")]
