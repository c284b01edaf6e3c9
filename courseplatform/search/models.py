"""The search index (one row per course, kept by ``services``), its vocabulary (typo correction), the search
log (queries and clicks: the learner id, never a session or address) and learners' wishlists.

On PostgreSQL ``SearchDocument.vector`` is a weighted ``tsvector`` (title A, subtitle B, category and storefront
C, description and lesson titles D) with a GIN index, and ``SearchTerm.term`` has a trigram GiST index
(migration 0002). On SQLite an FTS5 table ``search_fts`` holds the same terms (rowid = course id).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    course = models.OneToOneField("catalog.Course", on_delete=models.CASCADE, primary_key=True,
                                  related_name="search_document", verbose_name=_("course"))
    # the weighted terms (PostgreSQL; SQLite keeps them in search_fts). No text columns: a narrow row keeps the
    # heap scans of a search and its facet counts short.
    vector = SearchVectorField(null=True, editable=False)
    # the catalogue's facts, copied so a search reads one table
    published = models.BooleanField(_("published"), default=False)
    category = models.ForeignKey("catalog.Category", on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="+", verbose_name=_("category"))
    language = models.CharField(_("language"), max_length=16)
    level = models.CharField(_("level"), max_length=16)
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(_("created"))
    rating_avg = models.FloatField(_("average rating"), null=True, blank=True)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    enrolments = models.PositiveIntegerField(_("enrolments"), default=0)
    duration_s = models.FloatField(_("length (seconds)"), null=True, blank=True)  # from search_course_extras
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        # browsing without a query sorts every published course: each default sort has its index
        indexes = [models.Index(fields=["published", "category"], name="search_doc_pub_cat"),
                   models.Index(fields=["published", "-enrolments"], name="search_doc_pub_popular"),
                   models.Index(fields=["published", "-created_at"], name="search_doc_pub_newest"),
                   models.Index(fields=["published", "price"], name="search_doc_pub_price")]

    def __str__(self) -> str:
        return f"search document of course {self.course_id}"


class SearchTerm(models.Model):
    """A Latin-script term of some document: the vocabulary typo correction picks from."""

    term = models.CharField(_("term"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class SearchLog(models.Model):
    """One search (page 1 of a results page, or an API call). ``candidates`` are the top results as ranked,
    ``[course_id, relevance (0-1), personal score or null]``: the blend weight is fitted on them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    query = models.CharField(_("query"), max_length=100, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    results = models.PositiveIntegerField(_("results"))
    corrected = models.CharField(_("corrected query"), max_length=100, blank=True)
    candidates = models.JSONField(_("ranked candidates"), default=list, blank=True)
    blend_weight = models.FloatField(_("blend weight"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, default="page")
    ts = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        indexes = [models.Index(fields=["query", "ts"], name="search_log_query_ts")]

    def __str__(self) -> str:
        return self.query


class SearchClick(models.Model):
    log = models.ForeignKey(SearchLog, on_delete=models.CASCADE, related_name="clicks", verbose_name=_("search"))
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("course"))
    position = models.PositiveIntegerField(_("position"))
    ts = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("search click")
        verbose_name_plural = _("search clicks")
        constraints = [models.UniqueConstraint(fields=["log", "course"], name="one_click_per_search_result")]

    def __str__(self) -> str:
        return f"{self.log_id} → {self.course_id}"


class BlendWeight(models.Model):
    """A fitted weight of the learner's personal score against text relevance (the latest row is used)."""

    weight = models.FloatField(_("weight"))
    sessions = models.PositiveIntegerField(_("search sessions"))
    mrr_text = models.FloatField(_("MRR, relevance only"))
    mrr_blend = models.FloatField(_("MRR, blended"))
    fitted_at = models.DateTimeField(_("fitted"), auto_now_add=True)

    class Meta:
        ordering = ["-fitted_at", "-id"]
        verbose_name = _("blend weight")
        verbose_name_plural = _("blend weights")

    def __str__(self) -> str:
        return f"{self.weight:.2f}"


class SavedCourse(models.Model):
    """A course on a learner's wishlist."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_courses",
                             verbose_name=_("learner"))
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("course"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved course")
        verbose_name_plural = _("saved courses")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_wishlist_entry_per_course")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.course_id}"
