"""Sitemaps (``/sitemap.xml``): the public storefronts and courses, in both languages.

Built from the same querysets as the catalogue, so a course that is unpublished or hidden by moderators, or
one in a hidden storefront, is never listed (``Course.objects.published()``)."""

from django.contrib.sitemaps import Sitemap

from .models import Course, Storefront


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class CourseSitemap(_Bilingual):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Course.objects.published().only("id", "updated_at").order_by("id")

    def lastmod(self, course: Course):
        return course.updated_at


class StorefrontSitemap(_Bilingual):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Storefront.objects.exclude(moderation__hidden=True).only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, storefront: Storefront):
        return storefront.updated_at


SITEMAPS = {"courses": CourseSitemap, "storefronts": StorefrontSitemap}
