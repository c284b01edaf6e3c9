import pytest
from django.core.management import call_command
from django.db.models import Count

from courseplatform.accounts.models import User
from courseplatform.catalog.models import Course, Enrollment, Review
from courseplatform.events.models import Interaction
from courseplatform.search.models import SearchDocument
from recommender.models import TrainingRun
from themes.models import Palette

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Course.objects.count(), Enrollment.objects.count(), Interaction.objects.count())


def test_seed_demo_is_deterministic_and_idempotent():
    call_command("seed_demo", "--courses", "24", "--learners", "40", "--seed", "3", "--no-themes", verbosity=0)
    first = counts()
    ids = set(Interaction.objects.values_list("event_id", flat=True))
    call_command("seed_demo", "--courses", "24", "--learners", "40", "--seed", "3", "--no-themes", verbosity=0)
    assert counts() == first
    assert set(Interaction.objects.values_list("event_id", flat=True)) == ids
    assert first[1] == 24 and first[3] > 40
    assert Course.objects.filter(language="zh-hans").exists() and Course.objects.filter(language="en").exists()


def test_seed_demo_themes_every_storefront_through_the_review_workflow():
    call_command("seed_demo", "--courses", "8", "--learners", "10", "--seed", "1", verbosity=0)
    active = Palette.objects.filter(status="active")
    assert active.count() == 8
    assert {t.to_status for t in active.first().transitions.all()} == {"proposed", "submitted", "approved", "active"}
    # the default model and a second one (staff interleave the two on the recommender page)
    assert sorted(TrainingRun.objects.values_list("algorithm", flat=True)) == ["", "itemknn"]


def test_seeded_enrolments_and_ratings_reach_the_search_index():
    call_command("seed_demo", "--courses", "24", "--learners", "40", "--seed", "3", "--no-themes", verbosity=0)
    enrolments = dict(Enrollment.objects.values("course").annotate(n=Count("pk")).values_list("course", "n"))
    indexed = dict(SearchDocument.objects.values_list("course", "enrolments"))
    assert indexed == {pk: enrolments.get(pk, 0) for pk in indexed} and sum(indexed.values()) > 0
    rated = set(Review.objects.values_list("course", flat=True))
    assert rated and all(count > 0 for course, count in SearchDocument.objects.values_list("course", "rating_count")
                         if course in rated)
