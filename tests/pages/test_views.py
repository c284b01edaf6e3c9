"""The page editor views: permissions, CSRF, add/edit/reorder/remove, preview, publish/restore, newsletter."""

import pytest
from django.test import Client
from django.urls import reverse

from courseplatform.pages import selectors, services
from courseplatform.pages.models import NewsletterSignup, PageVersion
from tests.factories import StorefrontFactory

pytestmark = pytest.mark.django_db


def url(name, storefront, *args):
    return reverse(f"pages:{name}", args=[storefront.slug, *args])


def types(storefront):
    return [s["type"] for s in selectors.draft_or_latest(storefront).sections]


@pytest.fixture
def owner_client(client, creator):
    client.force_login(creator)
    return client


def owner_urls(storefront, section_id="abc"):
    return [("get", url("editor", storefront)), ("get", url("preview", storefront)),
            ("get", url("versions", storefront)), ("get", url("section_edit", storefront, section_id)),
            ("post", url("section_add", storefront)), ("post", url("publish", storefront)),
            ("post", url("reorder", storefront)), ("post", url("section_move", storefront, section_id)),
            ("post", url("section_remove", storefront, section_id)), ("post", url("restore", storefront, 1)),
            ("post", url("unpublish", storefront))]


def test_another_creator_gets_404_everywhere(client, storefront, other_creator, build_page):
    hero, = build_page("hero", publish=True)
    client.force_login(other_creator)
    for method, address in owner_urls(storefront, hero["id"]):
        assert getattr(client, method)(address, {"type": "hero"}).status_code == 404, address
    assert PageVersion.objects.count() == 1


def test_a_learner_gets_403_and_a_visitor_the_login_page(client, storefront, learner):
    for method, address in owner_urls(storefront):
        assert getattr(client, method)(address).status_code == 302
    client.force_login(learner)
    for method, address in owner_urls(storefront):
        assert getattr(client, method)(address).status_code == 403, address


def test_posts_need_a_csrf_token(storefront, creator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(creator)
    assert client.post(url("section_add", storefront), {"type": "hero"}).status_code == 403
    assert client.post(reverse("pages:newsletter_signup", args=[storefront.slug]),
                       {"email": "a@example.com"}).status_code == 403
    assert not PageVersion.objects.exists()


def test_editor_lists_sections_with_keyboard_buttons_and_loads_the_script(owner_client, storefront, build_page):
    build_page("hero", "faq")
    html = owner_client.get(url("editor", storefront)).content.decode()
    assert html.count('name="direction" value="up"') == 2 and html.count('name="direction" value="down"') == 2
    assert "js/page-editor.js" in html and 'id="pe-sections"' in html
    assert "<script>" not in html and " style=" not in html and " onclick" not in html.lower()


def test_add_edit_move_remove_through_the_views(owner_client, storefront, creator):
    response = owner_client.post(url("section_add", storefront), {"type": "faq"})
    faq_id = selectors.draft_or_latest(storefront).sections[0]["id"]
    assert response.status_code == 302 and response.url == url("section_edit", storefront, faq_id)
    form = owner_client.get(response.url).content.decode()
    assert 'name="items-0-question"' in form and 'name="items-2-question"' in form  # one filled + two spare
    response = owner_client.post(url("section_edit", storefront, faq_id), {
        "title": "Questions", "items-rows": "3", "items-0-question": "Refunds?", "items-0-answer": "Within 30 days.",
        "items-1-question": "Certificates?", "items-1-answer": "Yes.", "items-2-question": "", "items-2-answer": ""})
    assert response.status_code == 302
    data = selectors.draft_or_latest(storefront).sections[0]["data"]
    assert data["title"] == "Questions" and [i["question"] for i in data["items"]] == ["Refunds?", "Certificates?"]
    owner_client.post(url("section_add", storefront), {"type": "hero"})
    hero_id = selectors.draft_or_latest(storefront).sections[1]["id"]
    owner_client.post(url("section_move", storefront, hero_id), {"direction": "up"})
    assert types(storefront) == ["hero", "faq"]
    owner_client.post(url("section_move", storefront, hero_id), {"direction": "sideways"})
    assert types(storefront) == ["hero", "faq"]
    owner_client.post(url("section_remove", storefront, faq_id))
    assert types(storefront) == ["hero"]


def test_invalid_section_data_shows_field_errors(owner_client, storefront, build_page):
    hero, = build_page("hero")
    response = owner_client.post(url("section_edit", storefront, hero["id"]),
                                 {"headline": "Hi", "cta_label": "Go", "cta_url": "javascript:alert(1)"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert selectors.draft_or_latest(storefront).sections[0]["data"]["cta_url"] == ""


def test_rich_text_is_sanitised_when_saved_through_the_editor(owner_client, storefront, build_page):
    about, = build_page("about")
    owner_client.post(url("section_edit", storefront, about["id"]),
                      {"title": "Me", "body": '<p style="color:red" onmouseover="x()">Hi</p><script>alert(1)</script>'})
    assert selectors.draft_or_latest(storefront).sections[0]["data"]["body"] == "<p>Hi</p>"


def test_drag_and_drop_reorder_endpoint(owner_client, storefront, build_page):
    hero, faq, about = build_page("hero", "faq", "about")
    response = owner_client.post(url("reorder", storefront), {"order": f"{about['id']},{hero['id']},{faq['id']}"},
                                 HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["ok"]
    assert types(storefront) == ["about", "hero", "faq"]
    stale = owner_client.post(url("reorder", storefront), {"order": hero["id"]}, HTTP_ACCEPT="application/json")
    assert stale.status_code == 409 and not stale.json()["ok"]
    plain = owner_client.post(url("reorder", storefront), {"order": f"{hero['id']},{faq['id']},{about['id']}"})
    assert plain.status_code == 302 and types(storefront) == ["hero", "faq", "about"]


def test_preview_in_the_active_and_a_candidate_palette(owner_client, storefront, build_page, make_palette):
    build_page("hero", "about")
    active = owner_client.get(url("preview", storefront)).content.decode()
    assert "pg-hero" in active and "pv-" not in active.split("<main", 1)[1]
    palette = make_palette(status="proposed")
    html = owner_client.get(url("preview", storefront), {"palette": palette.pk}).content.decode()
    assert f'class="page-preview pv-{palette.pk}"' in html
    assert f"{reverse('themes:preview_css')}?ids={palette.pk}" in html
    foreign = make_palette(status="approved", storefront=StorefrontFactory())
    assert owner_client.get(url("preview", storefront), {"palette": foreign.pk}).status_code == 404
    assert owner_client.get(url("preview", storefront), {"palette": "x"}).status_code == 404


def test_publish_and_restore_through_the_views(owner_client, client, storefront, creator, build_page):
    hero, = build_page("hero")
    assert owner_client.post(url("publish", storefront), {"note": "launch"}).status_code == 302
    assert selectors.published_version(storefront).note == "launch"
    services.section_update(storefront=storefront, actor=creator, section_id=hero["id"], data={"headline": "Two"})
    owner_client.post(url("publish", storefront))
    versions = owner_client.get(url("versions", storefront)).content.decode()
    assert versions.count("Restore into a new draft") == 2
    owner_client.post(url("restore", storefront, 1))
    assert selectors.draft_or_latest(storefront).number == 3
    owner_client.post(url("publish", storefront))
    assert "Two" not in client.get(storefront.get_absolute_url()).content.decode()
    owner_client.post(url("unpublish", storefront))
    assert 'class="hero"' in client.get(storefront.get_absolute_url()).content.decode()


def test_newsletter_signup_endpoint(client, storefront, creator, build_page):
    signup = reverse("pages:newsletter_signup", args=[storefront.slug])
    client.post(signup, {"email": "a@example.com"})  # no published newsletter block: nothing is stored
    assert not NewsletterSignup.objects.exists()
    build_page("newsletter", publish=True)
    page = client.get(storefront.get_absolute_url()).content.decode()
    assert f'action="{signup}"' in page and "csrfmiddlewaretoken" in page
    response = client.post(signup, {"email": "not an email"}, follow=True)
    assert not NewsletterSignup.objects.exists() and "valid email" in response.content.decode()
    response = client.post(signup, {"email": "fan@example.com"}, follow=True)
    assert NewsletterSignup.objects.filter(storefront=storefront, email="fan@example.com").count() == 1
    assert "confirm your subscription" in response.content.decode()  # double opt-in: a mail is on its way
    client.post(signup, {"email": "fan@example.com"})
    assert NewsletterSignup.objects.count() == 1
    assert client.get(signup).status_code == 405


@pytest.mark.parametrize("section_type", ["hero", "featured", "course_grid", "testimonials", "about", "faq",
                                          "newsletter"])
def test_every_section_has_a_working_edit_form(owner_client, storefront, course, build_page, section_type):
    section, = build_page(section_type)
    response = owner_client.get(url("section_edit", storefront, section["id"]))
    assert response.status_code == 200
    form = response.context["form"]
    posted = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        posted[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    assert owner_client.post(url("section_edit", storefront, section["id"]), posted).status_code == 302
    assert selectors.draft_or_latest(storefront).sections[0]["data"] == section["data"]


def test_a_title_can_be_cleared_but_a_required_label_cannot(owner_client, storefront, build_page):
    section, = build_page("newsletter")
    owner_client.post(url("section_edit", storefront, section["id"]),
                      {"title": "", "text": "", "button_label": "Join"})
    data = selectors.draft_or_latest(storefront).sections[0]["data"]
    assert data["title"] == "" and data["text"] == "" and data["button_label"] == "Join"
    response = owner_client.post(url("section_edit", storefront, section["id"]), {"title": "x", "button_label": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
