"""A person's mails start in the language they signed up in; a choice on the notification settings page wins."""

import pytest
from django.test import Client

from courseplatform.accounts.services import user_sign_up
from courseplatform.notifications import selectors, services

pytestmark = pytest.mark.django_db


def _sign_up(prefix: str, username: str):
    response = Client().post(f"{prefix}/accounts/signup/", {
        "username": username, "email": f"{username}@example.com", "password1": "a-long-pass-2026",
        "password2": "a-long-pass-2026", "role": "learner", "display_name": "王小明"})
    assert response.status_code == 302, response.content[:500]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_signing_up_on_a_chinese_page_makes_the_mails_chinese(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = _sign_up("/zh-hans", "xiaoming")
    assert selectors.mail_language(user) == "zh-hans"


def test_signing_up_in_english_keeps_english_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = _sign_up("", "ming")
    assert selectors.mail_language(user) == "en"


def test_a_language_chosen_on_the_settings_page_is_not_overwritten(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_sign_up(username="li", email="", password="a-long-pass-2026", role="learner",
                            language="zh-hans")
    services.preferences_set(user=user, channels={}, language="en")
    services.mail_language_default(user=user, language="zh-hans")
    assert selectors.mail_language(user) == "en"
