"""Log-in throttling slows whoever keeps guessing and never locks the account's owner out."""

from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from courseplatform.accounts import throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed log-in attempts"
PASSWORD = "pw-for-tests-123"


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


@pytest.mark.parametrize("exists", [True, False], ids=["known-user", "unknown-user"])
def test_five_failures_back_off_the_guessing_client_with_one_message_for_known_and_unknown_names(exists):
    if exists:
        UserFactory(username="ada")
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    for _ in range(5):
        response = _login(attacker, "ada", "wrong-password")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = _login(attacker, "ADA", PASSWORD)  # even the right password is refused while backing off
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_owner_logs_in_from_another_client_while_an_attacker_hammers_the_account():
    UserFactory(username="ada")
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    for _ in range(12):
        _login(attacker, "ada", "wrong-password")
    assert LOCKED in _login(attacker, "ada", PASSWORD).content.decode()
    assert _logged_in(_login(Client(REMOTE_ADDR="10.1.1.1"), "ada", PASSWORD))


def test_fifty_failures_over_made_up_names_from_one_address_leave_admin_and_learners_free_elsewhere():
    UserFactory(username="admin")
    UserFactory(username="learner7")
    stuffer = Client(REMOTE_ADDR="10.6.6.6")
    for i in range(60):
        _login(stuffer, f"made-up-{i}", "nope")
    assert LOCKED in _login(stuffer, "learner7", PASSWORD).content.decode()  # the stuffing client backs off
    assert _logged_in(_login(Client(REMOTE_ADDR="10.1.1.1"), "admin", PASSWORD))
    assert _logged_in(_login(Client(REMOTE_ADDR="10.1.1.2"), "learner7", PASSWORD))


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="admin")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for i in range(60):
        _login(attacker, f"made-up-{i}", "nope")
    assert LOCKED in _login(attacker, "admin", PASSWORD).content.decode()
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")  # same proxy, other person
    assert _logged_in(_login(owner, "admin", PASSWORD))


def test_without_a_trusted_proxy_a_forged_forwarded_header_buys_no_fresh_budget(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="kim")
    for i in range(5):
        _login(Client(REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"), "kim", "nope")
    forged = Client(REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert LOCKED in _login(forged, "kim", PASSWORD).content.decode()


def test_back_off_doubles_with_each_further_failure_and_is_capped(settings):
    settings.LOGIN_BACKOFF_BASE_S = 30
    settings.LOGIN_BACKOFF_MAX_S = 300
    now = 1_000_000.0
    waits = []
    for _ in range(10):
        throttle.record_failure("zoe", "10.0.0.1", now=now)
        waits.append(round(throttle.seconds_to_wait("zoe", "10.0.0.1", now=now)))
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 300, 300]
    assert throttle.seconds_to_wait("zoe", "10.0.0.1", now=now + 301) == 0
    assert throttle.seconds_to_wait("zoe", "10.0.0.2", now=now) == 0  # another client is not held back


def test_the_client_may_try_again_once_the_back_off_has_passed(settings):
    settings.LOGIN_BACKOFF_BASE_S = 30
    UserFactory(username="lin")
    client = Client(REMOTE_ADDR="10.3.3.3")
    for _ in range(5):
        _login(client, "lin", "nope")
    assert LOCKED in _login(client, "lin", PASSWORD).content.decode()
    later = throttle.time.time() + 31
    with mock.patch.object(throttle.time, "time", return_value=later):
        assert _logged_in(_login(client, "lin", PASSWORD))


def test_the_password_is_checked_on_every_attempt_even_while_backing_off():
    UserFactory(username="mo")
    client = Client(REMOTE_ADDR="10.4.4.4")
    for _ in range(5):
        _login(client, "mo", "nope")
    with mock.patch.object(ModelBackend, "authenticate", autospec=True, side_effect=ModelBackend.authenticate) as auth:
        assert LOCKED in _login(client, "mo", PASSWORD).content.decode()
    assert auth.call_count == 1


def test_a_site_wide_burst_of_failures_slows_failed_attempts_without_blocking_anyone(settings):
    settings.LOGIN_ANOMALY_FAILURES_PER_MIN = 3
    settings.LOGIN_ANOMALY_DELAY_S = 0.25
    UserFactory(username="ivy")
    with mock.patch.object(throttle.time, "sleep") as sleep:
        for i in range(5):
            _login(Client(REMOTE_ADDR=f"10.8.0.{i}"), f"made-up-{i}", "nope")
        assert [c.args for c in sleep.call_args_list] == [(0.25,), (0.25,)]
        assert _logged_in(_login(Client(REMOTE_ADDR="10.8.1.1"), "ivy", PASSWORD))
    assert sleep.call_count == 2  # a successful log-in is never slowed
