"""The signed-in user is read from the cache on every request (``accounts.backends.CachedModelBackend``), and
every change saved to the account is seen by the very next request: a new password ends the other sessions, a
deactivated or deleted account is signed out."""

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit invalidation runs for real


def _who(client) -> str:
    """The username the request was served to ("" for an anonymous visitor)."""
    response = client.get("/api/feed?limit=1")
    assert response.status_code == 200
    return response.wsgi_request.user.get_username()


@pytest.fixture(autouse=True)
def _users_cached(settings):
    settings.ACCOUNTS_USER_CACHE_S = 300  # as with Redis in production (the test settings' database cache: 0)


@pytest.fixture
def signed_in():
    user = UserFactory(username="ines")
    client = Client()
    client.force_login(user)
    assert _who(client) == "ines"  # the first request caches the row
    return client, user


def test_a_signed_in_request_reads_the_user_from_the_cache_not_the_user_table(signed_in):
    client, _user = signed_in
    with CaptureQueriesContext(connection) as queries:
        assert _who(client) == "ines"
    assert not [q for q in queries.captured_queries if '"accounts_user"' in q["sql"]]


def test_a_new_password_ends_the_other_sessions_at_once(signed_in):
    client, user = signed_in
    user.set_password("a-brand-new-passphrase")
    user.save()
    assert _who(client) == ""


def test_a_deactivated_account_is_signed_out_at_once(signed_in):
    client, user = signed_in
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _who(client) == ""


def test_a_deleted_account_is_signed_out_at_once(signed_in):
    client, user = signed_in
    user.delete()
    assert _who(client) == ""


def test_a_renamed_account_is_seen_by_the_next_request(signed_in):
    client, user = signed_in
    user.username = "ines2"
    user.save()
    assert _who(client) == "ines2"


def test_a_row_read_before_a_deactivation_committed_is_not_cached_after_it(signed_in):
    """A request reads the row, the account is deactivated and committed (the cached copy dropped), then the
    request stores what it read: the next request must still see the deactivation, not the stored old row."""
    from django.contrib.auth.backends import ModelBackend

    from courseplatform.accounts.backends import user_cache_key

    client, user = signed_in
    cache.delete(user_cache_key(user.pk))  # the next request reads the database
    read_row = ModelBackend.get_user

    def read_then_deactivate(backend, user_id):
        row = read_row(backend, user_id)  # still active
        deactivated = type(user).objects.get(pk=user_id)
        deactivated.is_active = False
        deactivated.save(update_fields=["is_active"])  # commits (autocommit), drops the cached row
        return row

    with mock.patch.object(ModelBackend, "get_user", read_then_deactivate):
        assert _who(client) == "ines"  # this request read the row before the change: served as it was
    assert _who(client) == ""


def test_permissions_of_a_group_left_since_the_row_was_cached_are_gone(signed_in):
    """Group membership is a many-to-many change (no ``post_save``): permissions must not come from the cache."""
    from django.contrib.auth import get_user
    from django.contrib.auth.models import Group, Permission

    client, user = signed_in
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="change_course"))
    user.groups.add(editors)
    request = client.get("/api/feed?limit=1").wsgi_request
    assert get_user(request).has_perm("catalog.change_course")  # cached row, permissions read now
    user.groups.remove(editors)
    assert not get_user(client.get("/api/feed?limit=1").wsgi_request).has_perm("catalog.change_course")


def test_a_deleted_accounts_row_leaves_the_cache_at_once(signed_in):
    """An erasure deletes the account: its cached row (name, e-mail, password hash) must not stay in the cache."""
    from courseplatform.accounts.backends import user_cache_key

    _client, user = signed_in
    key = user_cache_key(user.pk)
    assert cache.get(key) is not None
    user.delete()
    assert cache.get(key) is None


def test_the_cache_holds_no_password_hash(signed_in):
    """A read of the cache (a leaked Redis dump) must not give the password hashes away."""
    import pickle

    from courseplatform.accounts.backends import user_cache_key

    _client, user = signed_in
    entry = cache.get(user_cache_key(user.pk))
    assert entry is not None
    assert user.password and user.password.encode() not in pickle.dumps(entry)
    assert user.password.split("$")[-1].encode() not in pickle.dumps(entry)


def test_a_cached_user_still_checks_a_password_against_the_database(signed_in):
    """The cached copy reads the hash when asked (deleting the account asks for the password)."""
    from django.contrib.auth import get_user

    client, user = signed_in
    user.set_password("the-right-passphrase")
    type(user).objects.filter(pk=user.pk).update(password=user.password)  # no save: the cached copy stays
    cached = get_user(client.get("/api/feed?limit=1").wsgi_request)
    assert "password" not in cached.__dict__
    assert cached.check_password("the-right-passphrase")
    assert not cached.check_password("a-wrong-one")


def test_a_password_set_on_the_cached_user_keeps_its_own_session(signed_in):
    """The session hash of a user whose password was just set comes from the new hash, not the cached one:
    ``update_session_auth_hash`` after a change keeps the changing session signed in."""
    from django.contrib.auth import get_user, update_session_auth_hash

    client, _user = signed_in
    request = client.get("/api/feed?limit=1").wsgi_request
    cached = get_user(request)
    old = cached.get_session_auth_hash()
    cached.set_password("a-brand-new-passphrase")
    cached.save()
    assert cached.get_session_auth_hash() != old
    update_session_auth_hash(request, cached)  # a new session key, as a password-change view answers
    request.session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = request.session.session_key
    assert _who(client) == "ines"


NEW_KEY = "a-new-secret-key-" + "x" * 40


def _signed_in_on_cached_sessions(settings, sessions: int) -> list[tuple[Client, str]]:
    """(client, session key) of ``sessions`` sessions of one learner on cache-backed sessions, which stay readable
    after a key rotation (signed database sessions would not), so that the session hash check decides."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = UserFactory(username="ines")
    clients = []
    for _ in range(sessions):
        client = Client()
        client.force_login(user)
        clients.append((client, client.session.session_key))
    return clients


def test_a_rotated_secret_key_without_fallback_signs_everyone_out(settings):
    [(client, _key)] = _signed_in_on_cached_sessions(settings, 1)
    assert _who(client) == "ines"  # cached under the old key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []
    assert _who(client) == ""


def test_a_rotated_secret_key_with_the_old_one_as_fallback_keeps_the_sessions(settings):
    (first, _k), (second, second_key) = _signed_in_on_cached_sessions(settings, 2)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = NEW_KEY
    assert _who(first) == "ines"  # read from the database, cached with its fallback hashes
    assert _who(second) == "ines"  # a cached row: matched by the cached fallback hash
    assert second.cookies[django_settings.SESSION_COOKIE_NAME].value != second_key  # session upgraded


def test_a_cached_user_answers_the_admin_header_without_a_query(signed_in):
    """The admin's header asks ``has_usable_password`` on every page: the cached copy answers it."""
    from django.contrib.auth import get_user

    client, _user = signed_in
    cached = get_user(client.get("/api/feed?limit=1").wsgi_request)
    with CaptureQueriesContext(connection) as queries:
        assert cached.has_usable_password()
    assert not queries.captured_queries


def test_a_reloaded_cached_user_answers_from_its_new_hash(signed_in):
    from django.contrib.auth import get_user

    client, user = signed_in
    cached = get_user(client.get("/api/feed?limit=1").wsgi_request)
    user.set_password("changed-behind-the-cache")
    type(user).objects.filter(pk=user.pk).update(password=user.password)  # no save, no signal
    cached.refresh_from_db()
    assert cached.get_session_auth_hash() == user.get_session_auth_hash()
