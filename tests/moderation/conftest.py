import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from courseplatform.moderation import services
from tests.factories import CourseFactory, StaffFactory, StorefrontFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    """The hidden-courses set and the feed live in the cache (the database cache in tests)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(db):
    """Staff with the moderation permission (not a superuser)."""
    user = StaffFactory(is_superuser=False, username="moderator")
    user.user_permissions.add(Permission.objects.get(codename="moderate_content"))
    return user


@pytest.fixture
def shop(creator):
    return StorefrontFactory(owner=creator, name="Loud Shop", slug="loud-shop")


@pytest.fixture
def reported(shop, learner, django_capture_on_commit_callbacks):
    """A published course of ``shop`` reported by ``learner``: ``(course, case)``."""
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(storefront=shop, title="Quantum Crystal Healing")
    report, _created = services.report_submit(reporter=learner, kind="course", content=course, reason="scam",
                                              note="Medical claims")
    return course, report.case


@pytest.fixture
def other_learner(db):
    return UserFactory()
