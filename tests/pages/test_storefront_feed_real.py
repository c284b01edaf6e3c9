"""Issue 22, item 10: the storefront's "recommended" featured section against the REAL recommender feed (an active
version's materialised feed, read through the personal_course_picks hook), not a fake that filters by itself:
the learner's feed ranks other storefronts' courses first, and the section still shows only this storefront's."""

import pytest

from recommender.models import FeedItem
from tests.factories import CourseFactory, UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


def test_recommended_section_shows_only_this_storefronts_courses_from_the_real_feed(client, storefront, build_page):
    learner = UserFactory()
    elsewhere = [CourseFactory(title=f"Elsewhere course {n}") for n in range(6)]
    mine = [CourseFactory(storefront=storefront, title=f"My course {n}") for n in range(2)]
    version = ModelVersionFactory(is_active=True, algorithm="ease")
    FeedItem.objects.bulk_create([FeedItem(version=version, user=learner, course=c, rank=r, score=1.0 / r,
                                           reason_code="for_you")
                                  for r, c in enumerate([*elsewhere, *mine], start=1)])
    build_page("featured", data={"featured": {"mode": "recommended", "limit": 2, "title": "Picked for you"}},
               publish=True)
    client.force_login(learner)
    html = client.get(storefront.get_absolute_url()).content.decode()
    section = html.split("Picked for you")[1].split("</section>")[0]
    assert "My course 0" in section and "My course 1" in section
    assert "Elsewhere course" not in html
