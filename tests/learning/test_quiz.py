"""Quizzes: answers never reach the browser before submitting; scored on the server; pass mark, attempts limit,
explanations only after submitting."""

import pytest
from django.urls import reverse

from courseplatform.learning.models import QuizAttempt
from tests.learning.conftest import answers_for

pytestmark = pytest.mark.django_db


def test_quiz_page_carries_no_answer_key(client, enrolled, creator, lessons):
    client.force_login(enrolled)
    html = client.get(reverse("learning:lesson", args=[lessons["quiz"].pk])).content.decode()
    assert "four-ANSWER" in html and "five-WRONG" in html  # the choices are there...
    for secret in ("Correct answer", "correct", "Count on your fingers", "Divisible by"):
        assert secret not in html  # ...but nothing says which is right, and no explanation
    assert 'type="radio"' in html and 'type="checkbox"' in html


def test_wrong_answers_fail_then_right_answers_pass_with_explanations(client, enrolled, lessons):
    client.force_login(enrolled)
    url = reverse("learning:quiz_submit", args=[lessons["quiz"].pk])
    failed = client.post(url, answers_for(lessons["quiz"], right=False)).content.decode()
    assert "You scored 0%" in failed and "Not passed" in failed and "Count on your fingers" in failed
    passed = client.post(url, answers_for(lessons["quiz"])).content.decode()
    assert "You scored 100%" in passed and "Passed" in passed and "Correct answer" in passed
    assert list(QuizAttempt.objects.values_list("score", "passed")) == [(100, True), (0, False)]


def test_partially_right_multiple_choice_counts_as_wrong(client, enrolled, lessons):
    client.force_login(enrolled)
    quiz = lessons["quiz"]
    q1, q2 = quiz.questions.all()
    data = {f"q-{q1.pk}": [q1.choices.get(correct=True).pk],
            f"q-{q2.pk}": [q2.choices.filter(correct=True).first().pk]}  # one of two right answers
    client.post(reverse("learning:quiz_submit", args=[quiz.pk]), data)
    attempt = QuizAttempt.objects.get()
    assert attempt.score == 50 and attempt.passed  # pass mark 50


def test_attempts_limit(client, enrolled, lessons):
    client.force_login(enrolled)
    url = reverse("learning:quiz_submit", args=[lessons["quiz"].pk])
    for _ in range(3):
        client.post(url, answers_for(lessons["quiz"], right=False))
    response = client.post(url, answers_for(lessons["quiz"]), follow=True)
    assert "used all 3 attempts" in response.content.decode()
    assert QuizAttempt.objects.count() == 3 and not QuizAttempt.objects.filter(passed=True).exists()


def test_answers_of_another_question_or_garbage_are_refused(client, enrolled, lessons):
    client.force_login(enrolled)
    quiz = lessons["quiz"]
    q1, q2 = quiz.questions.all()
    url = reverse("learning:quiz_submit", args=[quiz.pk])
    response = client.post(url, {f"q-{q1.pk}": [q2.choices.first().pk]}, follow=True)
    assert "does not belong" in response.content.decode()
    assert client.post(url, {f"q-{q1.pk}": ["x"]}).status_code == 400
    response = client.post(url, {f"q-{q1.pk}": [c.pk for c in q1.choices.all()]}, follow=True)
    assert "Choose one answer" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_not_enrolled_learner_cannot_submit(client, learner, lessons):
    client.force_login(learner)
    response = client.post(reverse("learning:quiz_submit", args=[lessons["quiz"].pk]), answers_for(lessons["quiz"]))
    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()
