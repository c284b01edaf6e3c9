"""Hidden content disappears from every public listing (catalogue, storefront, search, feed, sitemap) and its
page answers 404 to everyone but its owner, who sees the moderators' notice; restoring brings it back."""

import pytest
from django.test import Client

from courseplatform.catalog.models import Course, Review
from courseplatform.moderation import services
from courseplatform.pages import services as pages
from courseplatform.search import selectors as search
from recommender import selectors as feeds
from recommender.models import FeedItem
from tests.factories import CourseFactory, UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


def _hide(case, moderator, capture, note="Unproven medical claims"):
    with capture(execute=True):
        services.case_decide(case=case, actor=moderator, action="hide", note=note)


def _restore(case, moderator, capture):
    with capture(execute=True):
        services.case_decide(case=case, actor=moderator, action="restore", note="Fixed")


def _listed(client, course) -> dict[str, bool]:
    title = course.title.encode()
    return {
        "catalogue": title in client.get("/").content,
        "storefront": title in client.get(course.storefront.get_absolute_url()).content,
        "search": course.pk in {c.pk for c in search.search({"q": "quantum", "page": 1}).courses},
        "search page": title in client.get("/search/?q=quantum").content,
        "sitemap": course.get_absolute_url().encode() in client.get("/sitemap.xml").content,
    }


def test_a_hidden_course_leaves_every_listing_and_comes_back_when_restored(
        reported, moderator, django_capture_on_commit_callbacks):
    course, case = reported
    client = Client()
    assert all(_listed(client, course).values()), _listed(client, course)
    _hide(case, moderator, django_capture_on_commit_callbacks)
    assert not any(_listed(client, course).values()), _listed(client, course)
    assert not Course.objects.published().filter(pk=course.pk).exists()
    assert client.get(course.get_absolute_url()).status_code == 404
    _restore(case, moderator, django_capture_on_commit_callbacks)
    assert all(_listed(client, course).values()), _listed(client, course)
    assert client.get(course.get_absolute_url()).status_code == 200


def test_the_owner_still_sees_a_hidden_course_with_the_notice(reported, creator, learner, moderator,
                                                            django_capture_on_commit_callbacks):
    course, case = reported
    _hide(case, moderator, django_capture_on_commit_callbacks)
    owner = Client()
    owner.force_login(creator)
    page = owner.get(course.get_absolute_url())
    assert page.status_code == 200
    assert "Hidden by moderators" in page.content.decode() and "Unproven medical claims" in page.content.decode()
    other = Client()
    other.force_login(learner)
    assert other.get(course.get_absolute_url()).status_code == 404
    assert other.post(f"/courses/{course.pk}/enroll/").status_code == 404


def test_a_hidden_course_leaves_a_cached_feed_at_once(reported, moderator, django_capture_on_commit_callbacks):
    course, case = reported
    others = [CourseFactory(title=f"Other {i}") for i in range(3)]
    learner = UserFactory()
    version = ModelVersionFactory(is_active=True)
    for rank, item in enumerate([course, *others], start=1):
        FeedItem.objects.create(version=version, user=learner, course=item, rank=rank, score=1.0 / rank,
                                reason_code="for_you")
    assert course.pk in [i["course"].pk for i in feeds.feed_for_user(learner, 4)]  # ranking now cached
    assert course.pk in [c.pk for c in feeds.popular_courses(10)]
    _hide(case, moderator, django_capture_on_commit_callbacks)
    assert course.pk not in [i["course"].pk for i in feeds.feed_for_user(learner, 4)]
    assert course.pk not in [c.pk for c in feeds.popular_courses(10)]
    assert course.pk not in [i["course"].pk for i in feeds.feed_for_user(None, 10)]


def test_a_hidden_storefront_hides_itself_and_its_courses(reported, creator, learner, moderator,
                                                         django_capture_on_commit_callbacks):
    course, _case = reported
    storefront = course.storefront
    report, _ = services.report_submit(reporter=UserFactory(), kind="storefront", content=storefront, reason="scam")
    _hide(report.case, moderator, django_capture_on_commit_callbacks)
    public = Client()
    assert public.get(storefront.get_absolute_url()).status_code == 404
    assert public.get(course.get_absolute_url()).status_code == 404
    assert storefront.get_absolute_url().encode() not in public.get("/sitemap.xml").content
    assert not _listed(public, course)["search"] and not _listed(public, course)["catalogue"]
    owner = Client()
    owner.force_login(creator)
    page = owner.get(storefront.get_absolute_url())
    assert page.status_code == 200 and "Hidden by moderators" in page.content.decode()
    assert "Hidden by moderators" in owner.get(course.get_absolute_url()).content.decode()


def test_a_hidden_page_falls_back_to_the_plain_storefront(shop, creator, learner, moderator,
                                                         django_capture_on_commit_callbacks):
    CourseFactory(storefront=shop, title="Visible course")
    section = pages.section_add(storefront=shop, actor=creator, section_type="about")
    pages.section_update(storefront=shop, actor=creator, section_id=section["id"],
                         data={**section["data"], "body": "<p>Call 555-SCAM for a discount</p>"})
    pages.page_publish(storefront=shop, actor=creator)
    client = Client()
    assert "555-SCAM" in client.get(shop.get_absolute_url()).content.decode()
    from courseplatform.pages.models import StorefrontPage

    report, _ = services.report_submit(reporter=learner, kind="page", content=StorefrontPage.objects.get(storefront=shop),
                                       reason="scam")
    _hide(report.case, moderator, django_capture_on_commit_callbacks)
    page = client.get(shop.get_absolute_url()).content.decode()
    assert "555-SCAM" not in page and "Visible course" in page  # the plain storefront: hero and every course


def test_a_hidden_review_leaves_the_course_page_and_its_author_sees_why(
        shop, learner, moderator, django_capture_on_commit_callbacks):
    course = CourseFactory(storefront=shop, price=0)
    from courseplatform.catalog.services import enroll

    enroll(learner=learner, course=course)
    review = Review.objects.create(course=course, learner=learner, rating=1, text="Visit my-spam.example")
    assert b"my-spam.example" in Client().get(course.get_absolute_url()).content
    report, _ = services.report_submit(reporter=UserFactory(), kind="review", content=review, reason="spam")
    _hide(report.case, moderator, django_capture_on_commit_callbacks, note="Links to other sites")
    assert b"my-spam.example" not in Client().get(course.get_absolute_url()).content
    author = Client()
    author.force_login(learner)
    page = author.get(course.get_absolute_url()).content.decode()
    assert "Links to other sites" in page and "Hidden by moderators" in page


def test_moderators_still_see_hidden_content_with_the_notice(reported, moderator, learner,
                                                              django_capture_on_commit_callbacks):
    course, case = reported
    _hide(case, moderator, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(moderator)
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200 and "only its owner and moderators can see this" in page.content.decode()
    staff_without_permission = Client()
    staff_without_permission.force_login(UserFactory(is_staff=True))
    assert staff_without_permission.get(course.get_absolute_url()).status_code == 404


def test_a_hidden_course_leaves_wishlists_until_restored(reported, moderator, learner,
                                                         django_capture_on_commit_callbacks):
    from courseplatform.search.models import SavedCourse

    course, case = reported
    SavedCourse.objects.create(user=learner, course=course)
    assert [s.course for s in search.wishlist(learner)] == [course]
    _hide(case, moderator, django_capture_on_commit_callbacks)
    assert list(search.wishlist(learner)) == []
    _restore(case, moderator, django_capture_on_commit_callbacks)
    assert [s.course for s in search.wishlist(learner)] == [course]


def test_a_hidden_review_no_longer_counts_in_the_courses_rating(shop, learner, moderator,
                                                                django_capture_on_commit_callbacks):
    from courseplatform.catalog import selectors as catalog
    from courseplatform.search.models import SearchDocument

    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(storefront=shop, title="Quantum Basics")
        Review.objects.create(course=course, learner=UserFactory(), rating=5, text="Clear and kind")
        spam = Review.objects.create(course=course, learner=learner, rating=1, text="Visit my-spam.example")
        from courseplatform.search import services as search_services

        search_services.refresh_stats([course.pk])

    def ratings():
        listed = catalog.catalogue_courses().get(pk=course.pk)
        document = SearchDocument.objects.get(course=course)
        return (listed.avg_rating, listed.n_rating), (document.rating_avg, document.rating_count)

    assert ratings() == ((3.0, 2), (3.0, 2))
    report, _ = services.report_submit(reporter=UserFactory(), kind="review", content=spam, reason="spam")
    _hide(report.case, moderator, django_capture_on_commit_callbacks, note="Links to other sites")
    assert ratings() == ((5.0, 1), (5.0, 1))
    _restore(report.case, moderator, django_capture_on_commit_callbacks)
    assert ratings() == ((3.0, 2), (3.0, 2))
