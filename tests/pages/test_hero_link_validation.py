"""Issue 22, item 9: the hero button's link cannot lead off the site through characters browsers drop or
reinterpret (a tab or newline inside ``/<TAB>/evil.example`` leaves ``//evil.example``; a backslash reads as a
slash)."""

import pytest
from django.core.exceptions import ValidationError

from courseplatform.pages.sections import sections_registry


@pytest.mark.parametrize("link", ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example",
                                  "/\\/evil.example", "//evil.example", "/ /evil.example", "/\x0b/evil.example",
                                  "/\x00/x", "/\u3000/evil.example", "/\u00a0/evil.example", "https://ok.example/\t/x",
                                  "javascript:alert(1)", "/\x7f/evil.example"])
def test_the_hero_link_refuses_what_a_browser_would_turn_into_another_site(link):
    with pytest.raises(ValidationError) as refused:
        sections_registry().get("hero").clean({"headline": "Hi", "cta_label": "Go", "cta_url": link})
    assert "cta_url" in refused.value.message_dict


@pytest.mark.parametrize("link", ["/s/ada/", "/s/ada/?category=business", "https://example.com/a?b=c#d"])
def test_the_hero_link_still_takes_site_paths_and_web_addresses(link):
    assert sections_registry().get("hero").clean({"headline": "Hi", "cta_label": "Go", "cta_url": link})["cta_url"] == link
