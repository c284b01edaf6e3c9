"""The search log keeps SEARCH_LOG_RETENTION_DAYS of searches: older ones (and their clicks) are pruned on the
beat schedule, newer ones stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courseplatform.search import services, tasks
from courseplatform.search.models import SearchClick, SearchLog
from workers import app
from workers.routing import beat_schedule

pytestmark = pytest.mark.django_db


def _log_aged(days: float, course=None) -> SearchLog:
    log = services.search_log(user=None, query="python", filters={}, results=1)
    SearchLog.objects.filter(pk=log.pk).update(ts=timezone.now() - timedelta(days=days))
    if course is not None:
        SearchClick.objects.create(log=log, course=course, position=1)
    return log


def test_beat_prunes_the_search_log_every_six_hours_by_default():
    entry = beat_schedule()["prune-search-logs"]
    assert entry["task"] == "search.prune_logs" and entry["schedule"] == 6 * 60 * 60.0
    assert "search.prune_logs" in app.tasks


def test_searches_past_the_retention_period_go_with_their_clicks(settings, course):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    old, kept = _log_aged(31, course), _log_aged(29, course)
    assert tasks.prune_logs() == 1
    assert list(SearchLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(SearchClick.objects.values_list("log_id", flat=True)) == [kept.pk]
    assert old.pk not in SearchLog.objects.values_list("pk", flat=True)


def test_pruning_works_through_a_backlog_larger_than_one_batch(monkeypatch):
    monkeypatch.setattr(services, "PRUNE_BATCH", 3)
    for _ in range(7):
        _log_aged(400)
    _log_aged(1)
    assert services.search_logs_prune(older_than_days=180) == 7
    assert SearchLog.objects.count() == 1
