"""The index follows the catalogue once edits commit; a rolled-back edit changes nothing."""

import pytest
from django.core.management import call_command
from django.db import transaction

from courseplatform import hooks
from courseplatform.catalog.models import Enrollment, Review
from courseplatform.search import selectors, services
from courseplatform.search.models import SearchDocument
from tests.factories import CategoryFactory, CourseFactory, StorefrontFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(q: str) -> set[str]:
    return {c.title for c in selectors.search({"q": q, "page": 1}).courses}


def test_new_edited_and_deleted_courses(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(title="Kotlin Coroutines")
    assert _titles("kotlin") == {"Kotlin Coroutines"}
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Swift Concurrency"
        course.save()
    assert _titles("kotlin") == set() and _titles("swift") == {"Swift Concurrency"}
    with django_capture_on_commit_callbacks(execute=True):
        course.published = False
        course.save()
    assert _titles("swift") == set()
    with django_capture_on_commit_callbacks(execute=True):
        course.delete()
    assert not SearchDocument.objects.exists()


def test_storefront_and_category_renames_reach_their_courses(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        storefront, category = StorefrontFactory(name="Plain Shop"), CategoryFactory(name="Misc")
        CourseFactory(title="Something", storefront=storefront, category=category)
    with django_capture_on_commit_callbacks(execute=True):
        storefront.name = "Quokka Academy"
        storefront.save()
        category.name, category.name_zh = "Woodwork", "木工"
        category.save()
    assert _titles("quokka") == _titles("woodwork") == _titles("木工") == {"Something"}


def test_rolled_back_edit_is_not_indexed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            CourseFactory(title="Phantom Course")
            raise RuntimeError
    assert callbacks == [] and _titles("phantom") == set()


def test_reviews_and_enrolments_update_rating_and_popularity(django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(title="Rated")
        learner = UserFactory()
        Enrollment.objects.create(learner=learner, course=course, price_paid=0, created_at=timezone.now())
        Review.objects.create(learner=learner, course=course, rating=4)
    doc = SearchDocument.objects.get()
    assert (doc.rating_avg, doc.rating_count, doc.enrolments) == (4.0, 1, 1)


def test_rebuild_command_indexes_everything(capsys):
    CourseFactory(title="Never Indexed Before")
    assert _titles("indexed") == set()
    call_command("rebuild_search_index")
    assert "Indexed 1 courses" in capsys.readouterr().out
    assert _titles("indexed") == {"Never Indexed Before"}


class Curriculum:
    """A curriculum plugin: lesson titles and a length for every course it is asked about (one answer per batch)."""

    def __init__(self, lengths: dict[int, float] | None = None):
        self.lengths, self.calls = lengths or {}, 0

    @hooks.hookimpl
    def search_course_extras(self, course_ids):
        self.calls += 1
        return {c: {"text": "Lesson one: recursion explained", "duration_s": self.lengths.get(c)} for c in course_ids}


def test_lesson_titles_and_length_come_from_the_hook_once_per_batch(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        short, long = CourseFactory(title="Algorithms"), CourseFactory(title="Data Structures")
    plugin = Curriculum({short.pk: 3600.0, long.pk: 8 * 3600.0})
    with hooks.plugin_registered(plugin):
        services.index_courses([short.pk, long.pk])
    assert plugin.calls == 1
    assert _titles("recursion") == {"Algorithms", "Data Structures"}
    found = selectors.search({"q": "recursion", "page": 1, "duration": "long"})
    assert [c.title for c in found.courses] == ["Data Structures"]
    assert {f.value: f.count for f in found.facets["duration"]} == {"short": 1, "long": 1}
