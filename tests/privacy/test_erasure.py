"""Account deletion: password-confirmed, every table emptied of the person or anonymised, and the recommender
forgets them: no feed row and no saved model names their id, before or after the next training."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog.models import Course, Enrollment, Review, Storefront
from courseplatform.commerce.models import Payment
from courseplatform.events.models import Interaction
from courseplatform.pages.models import NewsletterSignup
from courseplatform.privacy import services
from courseplatform.privacy.models import AccountErasure, DataExport, ReviewChoice, TrackingConsent
from courseplatform.search.models import SavedCourse
from recommender.models import FeedItem
from recommender.training import _saved_ids, rematerialise, train_version
from tests.factories import CourseFactory, EnrollmentFactory, StorefrontFactory, UserFactory
from tests.recommender.factories import catalogue, planted_interactions

from .conftest import paid_order

User = get_user_model()


def _erase(user, reviews=ReviewChoice.ANONYMISE, capture=None) -> AccountErasure:
    if capture is None:
        return services.account_erase(user=user, reviews=reviews)
    with capture(execute=True):
        return services.account_erase(user=user, reviews=reviews)


def test_the_delete_page_mentions_kept_orders_only_when_there_are_some(client):
    learner = UserFactory()
    client.force_login(learner)
    url = reverse("privacy:delete_account")
    assert "kept for accounting" not in client.get(url).content.decode()
    paid_order(learner, CourseFactory(price=Decimal("12.00")))
    assert "Your 1 order is kept for accounting" in client.get(url).content.decode()


def test_a_wrong_password_deletes_nothing(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(reverse("privacy:delete_account"),
                           {"password": "not-it", "reviews": "anonymise", "confirm": "on"})
    assert response.status_code == 400 and User.objects.filter(pk=learner.pk).exists()


def test_password_guesses_on_the_delete_form_back_off_like_log_in(client):
    learner = UserFactory()
    client.force_login(learner)  # a stolen session guessing the password here meets the log-in throttle
    url = reverse("privacy:delete_account")
    for _ in range(6):
        client.post(url, {"password": "guess", "reviews": "anonymise", "confirm": "on"})
    response = client.post(url, {"password": "pw-for-tests-123", "reviews": "anonymise", "confirm": "on"})
    assert response.status_code == 400 and "Please wait" in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()


def test_deleting_with_the_password_erases_and_signs_out(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(reverse("privacy:delete_account"),
                           {"password": "pw-for-tests-123", "reviews": "remove", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert AccountErasure.objects.get().reviews == ReviewChoice.REMOVE
    assert client.get(reverse("privacy:delete_account")).status_code == 302  # signed out: to log-in


def test_every_table_is_emptied_of_the_person_or_anonymised(django_capture_on_commit_callbacks):
    learner = UserFactory(display_name="Ada L.", email="ada@example.com")
    course, other = CourseFactory(), CourseFactory()
    EnrollmentFactory(learner=learner, course=course)
    order = paid_order(learner, course)
    Review.objects.create(learner=learner, course=course, rating=4, text="Good")
    Interaction.objects.create(user=learner, course=other, type="view", ts=timezone.now())
    SavedCourse.objects.create(user=learner, course=other)
    TrackingConsent.objects.create(user=learner, granted=True, decided_at=timezone.now())
    DataExport.objects.create(user=learner)
    NewsletterSignup.objects.create(storefront=other.storefront, email="ADA@example.com")
    NewsletterSignup.objects.create(storefront=other.storefront, email="grace@example.com")
    learner_id = learner.pk

    erasure = _erase(learner, capture=django_capture_on_commit_callbacks)

    placeholder = erasure.placeholder
    assert not User.objects.filter(pk=learner_id).exists()
    assert placeholder.pk != learner_id and not placeholder.is_active and not placeholder.has_usable_password()
    assert placeholder.email == "" and "Ada" not in str(placeholder)
    assert not Enrollment.objects.exists() and not SavedCourse.objects.exists()
    assert not TrackingConsent.objects.exists() and not DataExport.objects.exists()
    event = Interaction.objects.get()
    assert event.user_id is None and event.session_key == ""  # detached, not deleted
    review = Review.objects.get()
    assert review.learner_id == placeholder.pk and review.text == "Good"
    order.refresh_from_db()
    assert order.learner_id == placeholder.pk and order.amount == course.price  # kept for the accounts
    payment = Payment.objects.get()
    assert payment.billing_email == "" and payment.billing_last_name == "" and payment.customer_ip_address is None
    assert list(NewsletterSignup.objects.values_list("email", flat=True)) == ["grace@example.com"]
    assert erasure.counts["events"] == 1 and erasure.counts["reviews_anonymised"] == 1


def test_reviews_are_removed_when_the_person_chooses(django_capture_on_commit_callbacks):
    learner = UserFactory()
    Review.objects.create(learner=learner, course=CourseFactory(), rating=2)
    _erase(learner, ReviewChoice.REMOVE, capture=django_capture_on_commit_callbacks)
    assert not Review.objects.exists()


def test_a_creators_storefront_with_learners_stays_for_them_unpublished_the_others_go(
        django_capture_on_commit_callbacks):
    creator = UserFactory(role="creator")
    sold = StorefrontFactory(owner=creator)
    sold_course = CourseFactory(storefront=sold, price=Decimal("0"))
    EnrollmentFactory(course=sold_course)
    empty = StorefrontFactory(owner=creator)
    CourseFactory(storefront=empty)

    erasure = _erase(creator, capture=django_capture_on_commit_callbacks)

    assert list(Storefront.objects.values_list("pk", flat=True)) == [sold.pk]
    assert Storefront.objects.get().owner_id == erasure.placeholder.pk
    assert not Course.objects.get().published and Enrollment.objects.count() == 1


def test_unknown_review_choice_is_refused():
    with pytest.raises(ValueError):
        services.account_erase(user=UserFactory(), reviews="keep-my-name")


def _ids_in_saved_model(version) -> set[int]:
    return {int(u) for u in _saved_ids(version)["user_ids"] if u is not None}


def test_after_deletion_and_retraining_no_model_or_feed_row_knows_the_person(django_capture_on_commit_callbacks):
    _categories, courses = catalogue(n_categories=4, per_category=4)
    learners = planted_interactions(courses, n_learners=32)
    person = learners[0]
    before = train_version(algorithm="ease", device="cpu")
    assert person.pk in _ids_in_saved_model(before)
    assert FeedItem.objects.filter(version=before, user_id=person.pk).exists()

    _erase(person, capture=django_capture_on_commit_callbacks)

    assert not FeedItem.objects.filter(user_id=person.pk).exists()
    assert person.pk not in _ids_in_saved_model(before)  # blanked in the existing artifact too
    after = train_version(algorithm="ease", device="cpu")
    assert person.pk not in _ids_in_saved_model(after)
    assert {learner.pk for learner in learners[1:]} <= _ids_in_saved_model(after)
    assert not FeedItem.objects.filter(user_id=person.pk).exists()
    assert FeedItem.objects.filter(version=after).exists()
    rematerialise(before)  # rebuilding the old version's feeds skips the blanked row
    assert not FeedItem.objects.filter(user_id=person.pk).exists()
    assert FeedItem.objects.filter(version=before).exists()
