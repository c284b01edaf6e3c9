"""The centre, read marks, the settings page, follows, and unsubscribe links that cannot be forged."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from courseplatform.notifications import kinds, selectors, services, tokens
from courseplatform.notifications.kinds import Channel
from courseplatform.notifications.models import Follow, Notification, Preference
from tests.factories import CreatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def tell(user, key="k1"):
    return services.notify(user, kinds.CERTIFICATE_EARNED, key=key, params={"course": "Statistics"},
                           url="/learning/")


def unsubscribe_url(token: str) -> str:
    return reverse("notifications:unsubscribe", args=[token])


def test_the_centre_lists_the_users_notifications_and_the_header_counts_unread(client, learner):
    tell(learner)
    tell(UserFactory(), key="someone-else")
    client.force_login(learner)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert page.count('class="card notification') == 1 and "You earned a certificate for Statistics." in page
    assert "(1 unread)" in page  # the header link, for screen readers too


def test_mark_read_and_mark_all_read(client, learner):
    first, second = tell(learner, "a"), tell(learner, "b")
    client.force_login(learner)
    assert client.post(reverse("notifications:mark_read", args=[first.pk])).status_code == 302
    assert selectors.unread_count(learner) == 1
    client.post(reverse("notifications:mark_all_read"))
    assert selectors.unread_count(learner) == 0
    assert Notification.objects.get(pk=second.pk).read_at is not None


def test_nobody_marks_another_users_notification(client, learner):
    theirs = tell(UserFactory())
    client.force_login(learner)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_settings_page_stores_a_channel_per_kind_and_the_mail_language(client, learner):
    client.force_login(learner)
    page = client.get(reverse("notifications:settings")).content.decode()
    for kind in kinds.all_kinds():
        assert f'name="kind_{kind.key}"' in page
    data = {f"kind_{k}": c for k, c in selectors.channels_for(learner).items()}
    data.update({f"kind_{kinds.NEW_COURSE}": Channel.DIGEST, f"kind_{kinds.JOB_FAILED}": Channel.OFF,
                 "language": "zh-hans"})
    assert client.post(reverse("notifications:settings"), data).status_code == 302
    assert selectors.channels_for(learner)[kinds.NEW_COURSE] == Channel.DIGEST
    assert selectors.channels_for(learner)[kinds.JOB_FAILED] == Channel.OFF
    assert selectors.mail_language(learner) == "zh-hans"


def test_the_settings_page_answers_a_bad_choice_with_400(client, learner):
    client.force_login(learner)
    data = {f"kind_{k}": c for k, c in selectors.channels_for(learner).items()}
    data.update({f"kind_{kinds.ORDER_RECEIPT}": Channel.EMAIL, "language": "en"})  # receipts: no e-mail channel
    assert client.post(reverse("notifications:settings"), data).status_code == 400
    assert not Preference.objects.exists()


# --- unsubscribe ---------------------------------------------------------------------------------------------

def test_the_link_asks_first_then_one_click_post_stops_that_kind_only():
    user = UserFactory()
    token = tokens.unsubscribe_token(user.pk, kinds.NEW_COURSE)
    csrf_client = Client(enforce_csrf_checks=True)  # a mail client's one-click POST carries no CSRF token
    assert csrf_client.get(unsubscribe_url(token)).status_code == 200
    assert not Preference.objects.exists()  # a link scanner's GET changes nothing
    assert csrf_client.post(unsubscribe_url(token), {"List-Unsubscribe": "One-Click"}).status_code == 200
    channels = selectors.channels_for(user)
    assert channels[kinds.NEW_COURSE] == Channel.IN_APP
    assert channels[kinds.CERTIFICATE_EARNED] == Channel.EMAIL


def test_a_tampered_token_is_refused(client):
    user = UserFactory()
    token = tokens.unsubscribe_token(user.pk, kinds.NEW_COURSE)
    payload, rest = token.split(":", 1)
    tampered = payload[:-2] + ("AA" if not payload.endswith("AA") else "BB") + ":" + rest
    for bad in (tampered, token[:-3] + "xyz", "not-a-token", token + "x"):
        assert client.post(unsubscribe_url(bad)).status_code == 400
        assert client.get(unsubscribe_url(bad)).status_code == 400
    assert not Preference.objects.exists()


def test_a_token_cannot_be_rewritten_for_another_user_or_kind(client):
    alice, bob = UserFactory(), UserFactory()
    token = tokens.unsubscribe_token(alice.pk, kinds.NEW_COURSE)
    signed = signing.loads(token, salt=tokens.SALT)
    # re-signing needs the server's key: with any other key (or salt) the signature does not match
    for forged in (signing.dumps({**signed, "u": bob.pk}, salt=tokens.SALT, key="attacker-key"),
                   signing.dumps({**signed, "k": kinds.JOB_FAILED}, salt=tokens.SALT, key="attacker-key"),
                   signing.dumps({**signed, "u": bob.pk}, salt="pages.newsletter.confirm")):
        assert client.post(unsubscribe_url(forged)).status_code == 400
    assert not Preference.objects.exists()


def test_alices_token_changes_alices_settings_even_when_bob_uses_it(client):
    alice, bob = UserFactory(), UserFactory()
    client.force_login(bob)
    client.post(unsubscribe_url(tokens.unsubscribe_token(alice.pk, kinds.NEW_COURSE)))
    assert selectors.channels_for(alice)[kinds.NEW_COURSE] == Channel.IN_APP
    assert selectors.channels_for(bob)[kinds.NEW_COURSE] == Channel.EMAIL


def test_a_token_for_an_unknown_kind_or_a_deleted_user_is_refused(client):
    user = UserFactory()
    assert client.post(unsubscribe_url(tokens.unsubscribe_token(user.pk, "no_such_kind"))).status_code == 400
    gone = UserFactory()
    token = tokens.unsubscribe_token(gone.pk, kinds.NEW_COURSE)
    gone.delete()
    assert client.post(unsubscribe_url(token)).status_code == 400


def test_the_digest_link_moves_digest_kinds_to_the_centre_only(client):
    user = UserFactory()
    services.preferences_set(user=user, channels={kinds.NEW_COURSE: Channel.DIGEST, kinds.JOB_FAILED: Channel.EMAIL})
    client.post(unsubscribe_url(tokens.unsubscribe_token(user.pk, kinds.DIGEST)))
    channels = selectors.channels_for(user)
    assert channels[kinds.NEW_COURSE] == Channel.IN_APP and channels[kinds.JOB_FAILED] == Channel.EMAIL


# --- follows -----------------------------------------------------------------------------------------------

def test_follow_from_the_storefront_and_unfollow_from_the_settings_page(client, learner, storefront, creator):
    client.force_login(learner)
    page = client.get(storefront.get_absolute_url()).content.decode()
    assert reverse("notifications:follow", args=[creator.pk]) in page
    response = client.post(reverse("notifications:follow", args=[creator.pk]),
                           {"next": storefront.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == storefront.get_absolute_url()
    assert Follow.objects.filter(follower=learner, creator=creator).exists()
    assert str(creator) in client.get(reverse("notifications:settings")).content.decode()
    client.post(reverse("notifications:follow", args=[creator.pk]), {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_the_course_page_has_the_follow_button(client, learner, course):
    client.force_login(learner)
    page = client.get(course.get_absolute_url()).content.decode()
    assert reverse("notifications:follow", args=[course.storefront.owner_id]) in page


def test_following_a_learner_or_oneself_is_refused_with_400(client, learner):
    creator = CreatorFactory()
    client.force_login(creator)
    assert client.post(reverse("notifications:follow", args=[creator.pk])).status_code == 400
    assert client.post(reverse("notifications:follow", args=[learner.pk])).status_code == 400
    assert client.post(reverse("notifications:follow", args=[10**9])).status_code == 404
    assert not Follow.objects.exists()


def test_an_offsite_next_is_ignored(client, learner, creator):
    client.force_login(learner)
    response = client.post(reverse("notifications:follow", args=[creator.pk]), {"next": "//evil.example/"})
    assert response["Location"] == reverse("notifications:settings")


def test_admin_lists_every_notification_model(client, staff, learner):
    tell(learner)
    client.force_login(staff)
    for model in ("notification", "preference", "maillanguage", "outboxemail", "follow"):
        assert client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200
