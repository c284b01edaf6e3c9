"""Sign-up is open but bounded: a client's attempts per hour are limited, and an e-mail address has one account."""

import pytest
from django.test import Client
from django.urls import reverse

from courseplatform.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sign_up(client, username, email=""):
    return client.post(reverse("accounts:signup"), {
        "username": username, "email": email, "password1": "a-long-pass-2026!", "password2": "a-long-pass-2026!",
        "role": "learner",
    })


def test_a_client_past_the_hourly_sign_up_limit_gets_a_429_with_a_message_and_no_account(settings):
    settings.SIGNUP_MAX_PER_HOUR_PER_CLIENT = 3
    for i in range(3):
        assert _sign_up(Client(REMOTE_ADDR="10.5.5.5"), f"sock-{i}").status_code == 302
    response = _sign_up(Client(REMOTE_ADDR="10.5.5.5"), "sock-3")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert not User.objects.filter(username="sock-3").exists()
    assert _sign_up(Client(REMOTE_ADDR="10.5.5.6"), "someone-else").status_code == 302


def test_failed_sign_ups_count_too_so_names_cannot_be_enumerated_at_speed(settings):
    settings.SIGNUP_MAX_PER_HOUR_PER_CLIENT = 3
    UserFactory(username="taken")
    for _ in range(3):
        assert _sign_up(Client(REMOTE_ADDR="10.5.5.7"), "taken").status_code == 200
    assert _sign_up(Client(REMOTE_ADDR="10.5.5.7"), "taken").status_code == 429


def test_an_email_address_already_in_use_is_refused_whatever_its_case():
    UserFactory(username="first", email="Ada@Example.org")
    response = _sign_up(Client(), "second", email="ada@example.ORG")
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(username="second").exists()
