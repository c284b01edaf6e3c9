"""Links in notifications are stored without a language prefix, whoever's language was active when the event
happened (a reviewer browsing in Chinese): the reader's own language applies when they follow one."""

import pytest
from django.utils import translation

from courseplatform.notifications import kinds, services
from courseplatform.notifications.models import OutboxEmail
from themes import services as themes_services

from .test_triggers import only, submitted_palette  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_palette_reviewed_in_chinese_links_the_creator_without_the_prefix(submitted_palette, creator,  # noqa: F811
                                                                          reviewer, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        themes_services.palette_approve(palette=submitted_palette, actor=reviewer, note="好")
    url = only(creator, kinds.PALETTE_REVIEWED).url
    assert url == f"/studio/storefronts/{submitted_palette.storefront.slug}/palettes/"
    assert "/zh-hans/studio/" not in OutboxEmail.objects.get(user=creator).text_body


def test_a_prefixed_link_keeps_its_query_and_fragment(learner):
    notification = services.notify(learner, kinds.CHALLENGE_REMINDER, key="c1", url="/zh-hans/courses/5/?a=1#review-2",
                                   params={"challenge": "SQL", "ends": "2026-12-31"})
    assert notification.url == "/courses/5/?a=1#review-2"


def test_a_link_that_is_no_page_of_this_site_is_stored_as_given(learner):
    notification = services.notify(learner, kinds.CHALLENGE_REMINDER, key="c1", url="/zh-hans/no/such/page/",
                                   params={"challenge": "SQL", "ends": "2026-12-31"})
    assert notification.url == "/zh-hans/no/such/page/"
