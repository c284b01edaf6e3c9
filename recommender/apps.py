import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommenderConfig(AppConfig):
    name = "recommender"
    verbose_name = _("Recommender")
    #: collected by workers/routing.py
    celery_task_routes = {"recommender.train_model": {"queue": "gpu"}}
    celery_beat_schedule = {
        "retrain-recommender": {
            "task": "recommender.schedule_training",
            "schedule": float(os.environ.get("RECOMMENDER_RETRAIN_EVERY_S", str(6 * 3600))),
        },
    }

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from courseplatform.catalog.models import Category, Course, Storefront
        from courseplatform.events import taggers
        from courseplatform.events.signals import interactions_recorded

        from .interleaving import event_tags
        from .services import catalog_changed, feed_cache_drop, interests_changed

        interactions_recorded.connect(feed_cache_drop, dispatch_uid="recommender.feed_cache_drop")
        for model in (Course, Storefront, Category):  # rendered feeds show titles, prices, visibility
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"recommender.catalog.save.{model.__name__}")
            post_delete.connect(catalog_changed, sender=model,
                                dispatch_uid=f"recommender.catalog.delete.{model.__name__}")
        m2m_changed.connect(interests_changed, sender=get_user_model().interests.through,
                            dispatch_uid="recommender.interests_changed")
        taggers.register(event_tags)  # interleaving: a click or enrolment is credited to the team that placed it
