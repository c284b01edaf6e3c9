"""The index follows the catalogue: a saved or deleted course, storefront or category is (re)indexed once its
transaction commits (a rolled-back edit indexes nothing); reviews and enrolments refresh the counts. A failure
is logged, never raised: the catalogue's write has already happened, and ``rebuild_search_index`` repairs."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from courseplatform.catalog.models import Category, Course, Enrollment, Review, Storefront

from . import services

logger = logging.getLogger(__name__)


def _later(fn, *args) -> None:
    def run() -> None:
        try:
            fn(*args)
        except Exception:
            logger.exception("search index update failed (%s)", fn.__name__)

    transaction.on_commit(run)


def _course_saved(sender, instance: Course, raw=False, **kwargs) -> None:
    if not raw:
        _later(services.index_courses, [instance.pk])


def _course_deleted(sender, instance: Course, **kwargs) -> None:
    _later(services.remove_courses, [instance.pk])


def _courses_of(field: str):
    def receiver(sender, instance, raw=False, **kwargs) -> None:
        if raw:
            return
        ids = list(Course.objects.filter(**{field: instance.pk}).values_list("pk", flat=True))
        if ids:
            _later(services.index_courses, ids)

    return receiver


def _stats_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _later(services.refresh_stats, [instance.course_id])


_storefront_saved = _courses_of("storefront_id")
_category_saved = _courses_of("category_id")


def connect() -> None:
    post_save.connect(_course_saved, sender=Course, dispatch_uid="search.course_saved")
    post_delete.connect(_course_deleted, sender=Course, dispatch_uid="search.course_deleted")
    post_save.connect(_storefront_saved, sender=Storefront, dispatch_uid="search.storefront_saved")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search.category_saved")
    for model in (Review, Enrollment):
        post_save.connect(_stats_changed, sender=model, dispatch_uid=f"search.{model.__name__}_saved")
        post_delete.connect(_stats_changed, sender=model, dispatch_uid=f"search.{model.__name__}_deleted")
