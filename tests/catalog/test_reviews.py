"""The course page's review form: it shows the learner's own review, says "Update" when there is one, and every
field reports its own error."""

import re

import pytest
from django.urls import reverse

from courseplatform.catalog.forms import ReviewForm
from courseplatform.catalog.models import Review
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

RATING_ERROR = "Please choose a rating from 1 to 5 stars."


@pytest.fixture
def enrolled(client, learner, course):
    EnrollmentFactory(learner=learner, course=course)
    client.force_login(learner)
    return client


def review_form_html(html: str) -> str:
    match = re.search(r'<section id="review".*?</section>', html, re.S)
    assert match, "no review form on the page"
    return match.group(0)


def selected_rating(form_html: str) -> str | None:
    match = re.search(r'<option value="(\d)" selected>', form_html)
    return match.group(1) if match else None


def test_reopening_a_reviewed_course_shows_the_learners_rating_and_text(enrolled, learner, course):
    Review.objects.create(learner=learner, course=course, rating=4, text="ok")
    form = review_form_html(enrolled.get(course.get_absolute_url()).content.decode())
    assert selected_rating(form) == "4"
    assert re.search(r"<textarea[^>]*>\s*ok</textarea>", form)


def test_the_form_says_update_your_review_when_the_learner_has_one(enrolled, learner, course):
    Review.objects.create(learner=learner, course=course, rating=2, text="")
    form = review_form_html(enrolled.get(course.get_absolute_url()).content.decode())
    assert form.count("Update your review") == 2  # the heading and the button
    assert "Rate this course" not in form and "Submit review" not in form


def test_a_learner_without_a_review_gets_an_empty_form_to_rate_the_course(enrolled, course):
    form = review_form_html(enrolled.get(course.get_absolute_url()).content.decode())
    assert "Rate this course" in form and "Submit review" in form and "Update your review" not in form
    assert selected_rating(form) is None
    assert re.search(r"<textarea[^>]*>\s*</textarea>", form)


def test_someone_elses_review_does_not_fill_in_the_form(enrolled, course):
    other = EnrollmentFactory(course=course)
    Review.objects.create(learner=other.learner, course=course, rating=1, text="not mine")
    form = review_form_html(enrolled.get(course.get_absolute_url()).content.decode())
    assert "not mine" not in form and "Update your review" not in form


def test_updating_a_review_replaces_it_and_says_it_was_updated(enrolled, learner, course):
    Review.objects.create(learner=learner, course=course, rating=4, text="ok")
    url = reverse("catalog:course_review", args=[course.pk])
    page = enrolled.post(url, {"rating": "2", "text": "better"}, follow=True).content.decode()
    review = Review.objects.get(learner=learner, course=course)
    assert (review.rating, review.text) == (2, "better")
    assert "Your review has been updated." in page
    assert selected_rating(review_form_html(page)) == "2"


def test_a_first_review_is_thanked(enrolled, learner, course):
    url = reverse("catalog:course_review", args=[course.pk])
    page = enrolled.post(url, {"rating": "5", "text": "Great"}, follow=True).content.decode()
    assert "Thank you for your review." in page
    assert Review.objects.get(learner=learner, course=course).rating == 5


def test_an_over_long_review_reports_a_length_error_not_a_rating_error(enrolled, learner, course):
    response = enrolled.post(reverse("catalog:course_review", args=[course.pk]),
                             {"rating": "4", "text": "x" * 5001})
    assert response.status_code == 400
    form = review_form_html(response.content.decode())
    assert "at most 5000 characters" in form and RATING_ERROR not in form
    assert "x" * 5001 in form  # what the learner wrote is kept
    assert selected_rating(form) == "4"
    assert not Review.objects.exists()


def test_a_missing_rating_reports_the_rating_error_and_keeps_the_text(enrolled, course):
    response = enrolled.post(reverse("catalog:course_review", args=[course.pk]), {"text": "Loved it"})
    assert response.status_code == 400
    form = review_form_html(response.content.decode())
    assert form.count(RATING_ERROR) == 1 and "Loved it" in form
    assert not Review.objects.exists()


def test_a_refused_update_keeps_saying_update_and_leaves_the_stored_review(enrolled, learner, course):
    Review.objects.create(learner=learner, course=course, rating=4, text="ok")
    response = enrolled.post(reverse("catalog:course_review", args=[course.pk]), {"rating": "9", "text": "new"})
    form = review_form_html(response.content.decode())
    assert RATING_ERROR in form and "Update your review" in form
    review = Review.objects.get()
    assert (review.rating, review.text) == (4, "ok")


@pytest.mark.parametrize(("data", "fields"), [
    ({"rating": "4", "text": "x" * 5001}, {"text"}),
    ({"rating": "9", "text": "fine"}, {"rating"}),
    ({"text": "fine"}, {"rating"}),
    ({"rating": "0", "text": "x" * 5001}, {"rating", "text"}),
])
def test_each_review_field_reports_its_own_error(data, fields):
    form = ReviewForm(data)
    assert not form.is_valid()
    assert set(form.errors) == fields
    assert (RATING_ERROR in form.errors.get("rating", [])) == ("rating" in fields)
    assert all(RATING_ERROR not in message for message in form.errors.get("text", []))


def test_review_form_prefills_from_the_learners_review(learner, course):
    review = Review.objects.create(learner=learner, course=course, rating=3, text="fine")
    form = ReviewForm(review=review)
    assert form["rating"].value() == 3 and form["text"].value() == "fine"


def test_a_learner_who_is_not_enrolled_is_told_so_and_nothing_is_stored(client, learner, course):
    client.force_login(learner)
    page = client.post(reverse("catalog:course_review", args=[course.pk]), {"rating": "5"},
                       follow=True).content.decode()
    assert "Only learners enrolled in this course can review it." in page
    assert not Review.objects.exists()
