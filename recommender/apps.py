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
        from courseplatform.events import taggers
        from courseplatform.events.signals import interactions_recorded

        from .interleaving import event_tags
        from .services import feed_cache_drop

        interactions_recorded.connect(feed_cache_drop, dispatch_uid="recommender.feed_cache_drop")
        taggers.register(event_tags)  # interleaving: a click or enrolment is credited to the team that placed it
