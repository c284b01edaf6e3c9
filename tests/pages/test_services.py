"""Page services: ordering, drafts, publishing (atomic), restoring, permissions, newsletter sign-ups."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courseplatform.pages import selectors, services
from courseplatform.pages.models import NewsletterSignup, PageVersion, StorefrontPage
from tests.factories import CourseFactory, StorefrontFactory

pytestmark = pytest.mark.django_db


def types(storefront):
    return [s["type"] for s in selectors.draft_or_latest(storefront).sections]


def test_sections_are_added_in_order_and_at_a_position(storefront, creator, build_page):
    build_page("hero", "about")
    services.section_add(storefront=storefront, actor=creator, section_type="faq", position=1)
    assert types(storefront) == ["hero", "faq", "about"]


def test_unknown_section_type_is_refused(storefront, creator):
    with pytest.raises(ValidationError):
        services.section_add(storefront=storefront, actor=creator, section_type="marquee")


def test_move_up_and_down_clamps_at_the_ends(storefront, creator, build_page):
    hero, about, faq = build_page("hero", "about", "faq")
    assert services.section_move(storefront=storefront, actor=creator, section_id=faq["id"], offset=-1) == 1
    assert types(storefront) == ["hero", "faq", "about"]
    assert services.section_move(storefront=storefront, actor=creator, section_id=hero["id"], offset=-1) == 0
    services.section_move(storefront=storefront, actor=creator, section_id=hero["id"], offset=1)
    assert types(storefront) == ["faq", "hero", "about"]


def test_reorder_needs_every_section_exactly_once(storefront, creator, build_page):
    hero, about, faq = build_page("hero", "about", "faq")
    services.sections_reorder(storefront=storefront, actor=creator, order=[faq["id"], hero["id"], about["id"]])
    assert types(storefront) == ["faq", "hero", "about"]
    for bad in ([faq["id"], hero["id"]], [faq["id"], faq["id"], hero["id"]], [faq["id"], hero["id"], "nope"]):
        with pytest.raises(ValidationError):
            services.sections_reorder(storefront=storefront, actor=creator, order=bad)
    assert types(storefront) == ["faq", "hero", "about"]


def test_remove(storefront, creator, build_page):
    hero, about = build_page("hero", "about")
    services.section_remove(storefront=storefront, actor=creator, section_id=hero["id"])
    assert types(storefront) == ["about"]
    with pytest.raises(ValidationError):
        services.section_remove(storefront=storefront, actor=creator, section_id=hero["id"])


def test_update_validates_and_sanitises(storefront, creator, build_page):
    (about,) = build_page("about")
    with pytest.raises(ValidationError) as caught:
        services.section_update(storefront=storefront, actor=creator, section_id=about["id"], data={"body": "x" * 10001})
    assert "body" in caught.value.message_dict
    saved = services.section_update(storefront=storefront, actor=creator, section_id=about["id"],
                                    data={"body": '<p onclick="x()">Hi</p><script>alert(1)</script>'})
    assert saved["data"]["body"] == "<p>Hi</p>"
    stored = PageVersion.objects.get().sections[0]["data"]["body"]
    assert stored == "<p>Hi</p>"


def test_chosen_courses_must_belong_to_the_storefront(storefront, creator, build_page, course):
    (featured,) = build_page("featured")
    foreign = CourseFactory(storefront=StorefrontFactory())
    with pytest.raises(ValidationError) as caught:
        services.section_update(storefront=storefront, actor=creator, section_id=featured["id"],
                                data={"mode": "chosen", "course_ids": [course.pk, foreign.pk]})
    assert "course_ids" in caught.value.message_dict
    ok = services.section_update(storefront=storefront, actor=creator, section_id=featured["id"],
                                 data={"mode": "chosen", "course_ids": [course.pk]})
    assert ok["data"]["course_ids"] == [course.pk]


def test_draft_publish_and_the_next_edit_starts_a_new_draft(storefront, creator, build_page):
    hero, = build_page("hero")
    v1 = services.page_publish(storefront=storefront, actor=creator, note="first")
    page = StorefrontPage.objects.get(storefront=storefront)
    assert page.published_version == v1 and v1.number == 1 and v1.published_at and v1.note == "first"
    with pytest.raises(ValidationError):  # nothing new to publish
        services.page_publish(storefront=storefront, actor=creator)
    services.section_add(storefront=storefront, actor=creator, section_type="faq")
    draft = selectors.draft_or_latest(storefront)
    assert draft.number == 2 and draft.is_draft and [s["type"] for s in draft.sections] == ["hero", "faq"]
    v1.refresh_from_db()
    assert [s["type"] for s in v1.sections] == ["hero"]  # the published version is frozen
    assert selectors.published_version(storefront) == v1
    services.section_update(storefront=storefront, actor=creator, section_id=hero["id"], data={"headline": "New"})
    assert PageVersion.objects.count() == 2  # edits go to the same draft
    v2 = services.page_publish(storefront=storefront, actor=creator)
    assert selectors.published_version(storefront) == v2 and v2.sections[0]["data"]["headline"] == "New"


def test_restore_copies_an_old_version_into_a_new_draft(storefront, creator, build_page):
    hero, = build_page("hero", publish=True)
    services.section_update(storefront=storefront, actor=creator, section_id=hero["id"], data={"headline": "Two"})
    services.page_publish(storefront=storefront, actor=creator)
    restored = services.page_restore(storefront=storefront, actor=creator, number=1)
    assert restored.number == 3 and restored.is_draft
    assert restored.sections == PageVersion.objects.get(number=1).sections
    assert selectors.published_version(storefront).number == 2  # live page unchanged until published
    services.page_publish(storefront=storefront, actor=creator)
    assert selectors.published_version(storefront).sections[0]["data"]["headline"] == storefront.name
    with pytest.raises(ValidationError):
        services.page_restore(storefront=storefront, actor=creator, number=99)


def test_publish_is_atomic(storefront, creator, build_page):
    build_page("hero", publish=True)
    services.section_add(storefront=storefront, actor=creator, section_type="faq")
    with mock.patch.object(StorefrontPage, "save", side_effect=RuntimeError("database went away")), \
            pytest.raises(RuntimeError):
        services.page_publish(storefront=storefront, actor=creator)
    draft = PageVersion.objects.get(number=2)
    assert draft.published_at is None  # the version was not frozen either
    assert selectors.published_version(storefront).number == 1


def test_publish_revalidates_the_draft(storefront, creator, build_page):
    about, = build_page("about")
    version = PageVersion.objects.get()
    version.sections = [{**about, "data": {"body": "x" * 10001}}]
    version.save()
    with pytest.raises(ValidationError):
        services.page_publish(storefront=storefront, actor=creator)
    assert selectors.published_version(storefront) is None


def test_unpublish_falls_back(storefront, creator, build_page):
    build_page("hero", publish=True)
    services.page_unpublish(storefront=storefront, actor=creator)
    assert selectors.published_version(storefront) is None and PageVersion.objects.count() == 1


@pytest.mark.parametrize("call", [
    lambda sf, u: services.section_add(storefront=sf, actor=u, section_type="hero"),
    lambda sf, u: services.page_publish(storefront=sf, actor=u),
    lambda sf, u: services.page_restore(storefront=sf, actor=u, number=1),
    lambda sf, u: services.sections_reorder(storefront=sf, actor=u, order=[]),
    lambda sf, u: services.draft_get_or_create(storefront=sf, actor=u),
])
def test_only_the_owner_may_change_the_page(storefront, other_creator, learner, call):
    for user in (other_creator, learner):
        with pytest.raises(PermissionDenied):
            call(storefront, user)


@pytest.mark.parametrize("email", ["", "nope", "a@", "@b.com", "a b@example.com", "x" * 250 + "@example.com",
                                   "<script>@example.com"])
def test_newsletter_signup_validates_the_address(storefront, email):
    with pytest.raises(ValidationError) as caught:
        services.newsletter_signup(storefront=storefront, email=email)
    assert "email" in caught.value.message_dict
    assert not NewsletterSignup.objects.exists()


def test_newsletter_signup_stores_once(storefront):
    signup, created = services.newsletter_signup(storefront=storefront, email=" Li@Example.COM ", language="zh-hans")
    assert created and signup.email == "Li@example.com" and signup.language == "zh-hans"
    again, created = services.newsletter_signup(storefront=storefront, email="Li@example.com")
    assert not created and again.pk == signup.pk


def test_a_section_is_labelled_with_the_language_it_is_written_in(client, storefront, creator):
    from courseplatform.pages.models import LANGUAGE_KEY

    section = services.section_add(storefront=storefront, actor=creator, section_type="about")
    services.section_update(storefront=storefront, actor=creator, section_id=section["id"],
                            data={"heading": "关于我", "body": "<p>十年教学经验</p>", LANGUAGE_KEY: "zh-hans"})
    services.page_publish(storefront=storefront, actor=creator)
    html = client.get(storefront.get_absolute_url()).content.decode()
    assert '<div lang="zh-hans">' in html and "十年教学经验" in html
    with pytest.raises(ValidationError):
        services.section_update(storefront=storefront, actor=creator, section_id=section["id"],
                                data={"heading": "x", LANGUAGE_KEY: '"><script>'})
