"""Followers are not told about a course nobody may see: one published in a storefront moderators hid."""

import pytest

from courseplatform.catalog import services as catalog_services
from courseplatform.moderation.models import Case, ContentKind
from courseplatform.notifications import services
from courseplatform.notifications.models import Notification, OutboxEmail
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_course_published_in_a_hidden_storefront_notifies_no_follower(storefront, creator, learner,
                                                                         django_capture_on_commit_callbacks):
    services.follow(follower=learner, creator=creator)
    Case.objects.create(kind=ContentKind.STOREFRONT, storefront=storefront, owner=creator, hidden=True, open=False)
    course = CourseFactory(storefront=storefront, published=False, title="Miracle Cures")
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.course_update(course=course, actor=creator, data={"published": True})
    assert not Notification.objects.filter(user=learner).exists()
    assert not OutboxEmail.objects.filter(user=learner).exists()
