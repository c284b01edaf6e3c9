"""Non-essential tracking only with consent; the banner; the choice on the privacy page and across sign-in."""

import re
import uuid

from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog import services as catalog_services
from courseplatform.events.models import EventType, Interaction
from courseplatform.events.services import visitor_impressions_log
from courseplatform.privacy import consent
from courseplatform.privacy.models import TrackingConsent
from tests.factories import CourseFactory, UserFactory

BANNER = 'class="consent-banner"'


def _event(course) -> dict:
    return {"event_id": str(uuid.uuid4()), "type": "click", "course": course.pk, "ts": timezone.now().isoformat(),
            "context": {"surface": "home", "position": 1}}


def test_a_new_visitor_is_asked_once_and_the_banner_goes_away_after_a_choice(client):
    page = client.get(reverse("catalog:home"))
    assert BANNER in page.content.decode()
    response = client.post(reverse("privacy:consent"), {"choice": "denied", "next": "/en/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert response.cookies[consent.COOKIE].value == consent.DENIED
    assert BANNER not in client.get(reverse("catalog:home")).content.decode()


def test_the_banner_is_not_shown_where_the_operator_needs_no_consent(client, settings):
    settings.PRIVACY_REQUIRE_CONSENT = False
    assert BANNER not in client.get(reverse("catalog:home")).content.decode()


def test_the_banner_is_translated(client):
    page = client.get("/zh-hans/")
    assert "你的隐私" in page.content.decode()


def test_without_consent_client_events_are_answered_but_not_stored(client):
    course = CourseFactory()
    response = client.post("/api/events", {"events": [_event(course)]}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["stored"] == 0 and response.json()["consent"] is False
    assert not Interaction.objects.exists()


def test_with_consent_client_events_are_stored(client):
    course = CourseFactory()
    client.post(reverse("privacy:consent"), {"choice": "granted"})
    response = client.post("/api/events", {"events": [_event(course)]}, content_type="application/json")
    assert response.json()["stored"] == 1
    assert Interaction.objects.filter(type=EventType.CLICK).count() == 1


def test_a_declined_learner_gets_no_impressions_but_their_enrolment_is_recorded(client, rf):
    learner, course = UserFactory(), CourseFactory(price=0)
    TrackingConsent.objects.create(user=learner, granted=False, decided_at=timezone.now())
    request = rf.get("/")
    request.user, request.COOKIES = learner, {consent.COOKIE: consent.GRANTED}  # the account's choice wins
    assert visitor_impressions_log(request, course_ids=[course.pk], surface="home") == 0
    catalog_services.enroll(learner=learner, course=course)
    assert list(Interaction.objects.values_list("type", flat=True)) == [EventType.ENROLL]


def test_a_consenting_learners_impressions_are_logged(rf):
    learner, course = UserFactory(), CourseFactory()
    TrackingConsent.objects.create(user=learner, granted=True, decided_at=timezone.now())
    request = rf.get("/")
    request.user = learner
    assert visitor_impressions_log(request, course_ids=[course.pk], surface="home") == 1


def test_the_home_feed_logs_impressions_only_with_consent(client):
    CourseFactory.create_batch(3)
    client.force_login(UserFactory())
    client.get(reverse("catalog:home"))
    assert not Interaction.objects.exists()
    client.post(reverse("privacy:consent"), {"choice": "granted"})
    client.get(reverse("catalog:home"))
    assert Interaction.objects.filter(type=EventType.IMPRESSION).exists()


def test_a_signed_in_person_changes_their_choice_on_the_privacy_page(client):
    learner = UserFactory()
    client.force_login(learner)
    client.post(reverse("privacy:consent"), {"choice": "granted"})
    assert TrackingConsent.objects.get(user=learner).granted
    page = client.get(reverse("privacy:settings")).content.decode()
    assert "You allow usage measurement." in page
    client.post(reverse("privacy:consent"), {"choice": "denied"})
    assert not TrackingConsent.objects.get(user=learner).granted


def test_a_visitors_choice_follows_them_into_their_account_at_sign_in(client):
    learner = UserFactory(username="ada")
    client.post(reverse("privacy:consent"), {"choice": "granted"})
    client.post(reverse("accounts:login"), {"username": "ada", "password": "pw-for-tests-123"})
    assert TrackingConsent.objects.get(user=learner).granted


def test_an_invalid_choice_is_a_400_and_an_outside_next_is_not_followed(client):
    assert client.post(reverse("privacy:consent"), {"choice": "maybe"}).status_code == 400
    response = client.post(reverse("privacy:consent"), {"choice": "granted", "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("privacy:settings")


def test_a_search_result_click_is_logged_only_with_consent(client):
    from django.core import signing

    from courseplatform.search import services as search_services
    from courseplatform.search.views import CLICK_SALT

    learner, course = UserFactory(), CourseFactory(title="Python basics")
    search_services.index_courses([course.pk])
    client.force_login(learner)
    log = search_services.search_log(user=learner, query="python", filters={}, results=1)
    beacon = {"log": signing.dumps(log.pk, salt=CLICK_SALT), "course": course.pk, "position": 1}
    assert client.post(reverse("search:click"), beacon).status_code == 204
    assert not Interaction.objects.filter(type=EventType.CLICK).exists()
    page = client.get(reverse("search:results"), {"q": "python"}).content.decode()
    assert "data-log=" not in page  # the page's script sends no beacon either
    client.post(reverse("privacy:consent"), {"choice": "granted"})
    assert "data-log=" in client.get(reverse("search:results"), {"q": "python"}).content.decode()
    client.post(reverse("search:click"), beacon)
    assert Interaction.objects.filter(type=EventType.CLICK, user=learner).count() == 1


def test_the_privacy_page_shows_the_choice_already_made_in_its_radios(client):
    client.post(reverse("privacy:consent"), {"choice": "granted", "next": "/en/"})
    page = client.get(reverse("privacy:settings")).content.decode()
    granted = re.search(r'<input[^>]*value="granted"[^>]*>', page).group(0)
    denied = re.search(r'<input[^>]*value="denied"[^>]*>', page).group(0)
    assert "checked" in granted and "checked" not in denied
