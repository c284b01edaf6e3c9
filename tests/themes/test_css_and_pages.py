import json

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from themes.css import preview_css, theme_css, validated_roles
from themes.models import Palette

from .conftest import DARK, LIGHT

pytestmark = pytest.mark.django_db

PAYLOADS = ["red;}body{background:url(//x)}", "</style><script>alert(1)</script>", "#fff\\3c", "expression(alert(1))",
            "#12345", "#1e88e5;color:red", "#1E88E5 !important"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_css_injection_payloads_never_reach_a_stylesheet(payload):
    with pytest.raises(ValueError):
        theme_css({**LIGHT, "primary": payload}, DARK)


@given(st.text(max_size=30))
def test_any_text_either_is_refused_or_becomes_a_strict_hex(value):
    try:
        roles = validated_roles({**LIGHT, "accent": value})
    except ValueError:
        return
    assert roles["accent"] == value.strip().lower() and len(roles["accent"]) == 7


def test_theme_css_has_light_and_dark_custom_properties_only():
    css = theme_css(LIGHT, DARK)
    assert "--c-primary: #1e88e5;" in css and "prefers-color-scheme: dark" in css and "--c-primary: #64b5f6;" in css
    for line in css.splitlines():
        line = line.strip()
        assert (line.startswith(("--c-", "/*", ":root", "@media")) or line in ("}", "")), line


def test_storefront_renders_with_the_active_palette_stylesheet(client, make_palette, creator):
    palette = make_palette(status="active")
    storefront = palette.storefront
    page = client.get(storefront.get_absolute_url()).content.decode()
    assert f"/s/{storefront.slug}/theme.css?v=" in page
    response = client.get(reverse("themes:theme_css", args=[storefront.slug]))
    assert response["Content-Type"].startswith("text/css") and response["ETag"]
    assert "--c-background: #fafafa;" in response.content.decode()
    again = client.get(reverse("themes:theme_css", args=[storefront.slug]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_storefront_without_palette_has_no_theme_stylesheet(client, storefront):
    assert "theme.css" not in client.get(storefront.get_absolute_url()).content.decode()
    assert client.get(reverse("themes:theme_css", args=[storefront.slug])).status_code == 404


def test_user_text_in_storefront_fields_is_escaped_not_interpolated(client, make_palette):
    palette = make_palette(status="active")
    storefront = palette.storefront
    storefront.name = "</style><script>alert(1)</script>"
    storefront.tagline = "red;}body{background:url(//evil)}"
    storefront.save()
    page = client.get(storefront.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    css = client.get(reverse("themes:theme_css", args=[storefront.slug])).content.decode()
    assert "evil" not in css and "script" not in css


@pytest.mark.parametrize("exporter", ["css", "w3c", "tailwind"])
def test_design_tokens_download(client, make_palette, exporter):
    palette = make_palette(status="active")
    response = client.get(reverse("themes:download_tokens", args=[palette.storefront.slug, exporter]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "#1e88e5" in body and "#64b5f6" in body
    if exporter == "w3c":
        assert json.loads(body)["color"]["light"]["primary"] == {"$type": "color", "$value": "#1e88e5"}


def test_style_guide_shows_roles_and_contrast(client, make_palette):
    palette = make_palette(status="active")
    page = client.get(reverse("themes:style_guide", args=[palette.storefront.slug])).content.decode()
    assert "#1e88e5" in page and "contrast-table" in page


def test_contrast_matrix_has_every_role_on_every_role_with_wcag_ratios(make_palette):
    from themes.presentation import ROLE_ORDER, contrast_matrix

    light, dark = contrast_matrix(make_palette(status="active"))
    assert (light["variant"], dark["variant"]) == ("light", "dark")
    assert light["roles"] == list(ROLE_ORDER)
    assert [row["role"] for row in light["rows"]] == list(ROLE_ORDER)
    assert all([c["on"] for c in row["cells"]] == list(ROLE_ORDER) for row in light["rows"])
    cell = {(row["role"], c["on"]): c for row in light["rows"] for c in row["cells"]}
    # WCAG 2.x by hand: L(#212121) = 0.01521, L(#fafafa) = 0.95596; (0.95596 + 0.05) / (0.01521 + 0.05) = 15.43
    assert cell[("text", "background")]["ratio"] == 15.43 and cell[("text", "background")]["level"] == "aaa"
    assert cell[("background", "text")]["ratio"] == 15.43  # symmetric
    assert cell[("accent", "surface")]["ratio"] == 4.28 and cell[("accent", "surface")]["level"] == "large"
    assert cell[("primary", "background")]["ratio"] == 3.52
    assert cell[("text", "text")]["ratio"] == 1.0 and cell[("text", "text")]["same"]
    dark_cell = {(row["role"], c["on"]): c for row in dark["rows"] for c in row["cells"]}
    assert dark_cell[("text", "background")]["ratio"] == 16.15  # #eeeeee on #121212


def test_style_guide_shows_the_contrast_matrix(client, make_palette):
    palette = make_palette(status="active")
    page = client.get(reverse("themes:style_guide", args=[palette.storefront.slug])).content.decode()
    assert page.count('class="data contrast-matrix') == 2
    assert '<td data-fg="text" data-bg="background">15.43:1 <span class="badge pass">AAA</span></td>' in page
    assert '<td data-fg="accent" data-bg="surface">4.28:1 <span class="badge info">ok for large text</span>' in page
    assert f'sw-{palette.pk}-dark-accent' in page


def test_preview_css_only_serves_palettes_the_visitor_may_see(client, make_palette, other_creator, creator):
    palette = make_palette(status="proposed")
    client.force_login(other_creator)
    assert f".pv-{palette.pk}" not in client.get(reverse("themes:preview_css") + f"?ids={palette.pk}").content.decode()
    client.force_login(creator)
    css = client.get(reverse("themes:preview_css") + f"?ids={palette.pk}").content.decode()
    assert f".pv-{palette.pk} {{" in css and f".sw-{palette.pk}-dark-primary" in css


def _linked_preview_css(page: str) -> str:
    import re

    match = re.search(r'<link rel="stylesheet" href="([^"]*palette-previews\.css\?ids=[^"]*)"', page)
    assert match, "the page links no palette preview stylesheet"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_anonymous_visitor_loads_the_style_guides_preview_stylesheet(client, make_palette, language):
    from django.utils import translation

    palette = make_palette(status="active")
    with translation.override(language):
        page_url = reverse("themes:style_guide", args=[palette.storefront.slug])
    page = client.get(page_url)
    assert page.status_code == 200
    response = client.get(_linked_preview_css(page.content.decode()))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert f".pv-{palette.pk} {{" in css and f".sw-{palette.pk}-light-primary" in css


@pytest.mark.parametrize("who", [None, "other_creator", "learner"])
def test_a_private_candidate_stays_hidden_from_the_preview_stylesheet(client, request, make_palette, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    for status in ("proposed", "submitted", "approved", "rejected"):
        palette = make_palette(status=status)
        response = client.get(reverse("themes:preview_css") + f"?ids={palette.pk}")
        assert response.status_code == 404, status


def test_a_mixed_preview_request_serves_only_the_public_palette(client, make_palette):
    live, candidate = make_palette(status="active"), make_palette(status="proposed")
    response = client.get(reverse("themes:preview_css") + f"?ids={live.pk},{candidate.pk}")
    css = response.content.decode()
    assert response.status_code == 200 and f".pv-{live.pk} {{" in css and f".pv-{candidate.pk}" not in css


def test_preview_css_refuses_bad_ids(client, creator):
    client.force_login(creator)
    assert client.get(reverse("themes:preview_css") + "?ids=1,abc").status_code == 404


def test_preview_classes_are_scoped_per_palette():
    css = preview_css([(7, LIGHT, DARK)])
    assert ".pv-7 {" in css and ".pv-7-dark {" in css and ".sw-7-light-accent { background: #d81b60; }" in css


def test_brief_form_creates_a_job_and_the_job_page_polls(client, creator, storefront):
    client.force_login(creator)
    response = client.post(reverse("themes:palette_studio", args=[storefront.slug]), {
        "color_1": "#1E88E5", "lock_1": "on", "role_1": "primary", "keywords": "tech, 科技", "k": 6,
        "alpha": 1, "beta": 1, "gamma": 1, "candidates": 3, "seed": 0})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("color_1", "red; } body {", "#rrggbb"), ("k", "11", "less than or equal"), ("alpha", "-1", "greater than"),
])
def test_brief_form_bad_input_is_explained(client, creator, storefront, field, value, message):
    client.force_login(creator)
    data = {"k": 6, "alpha": 1, "beta": 1, "gamma": 1, "candidates": 3, "seed": 0, field: value}
    response = client.post(reverse("themes:palette_studio", args=[storefront.slug]), data)
    assert response.status_code == 200 and message in response.content.decode()


def test_all_zero_weights_are_refused(client, creator, storefront):
    client.force_login(creator)
    response = client.post(reverse("themes:palette_studio", args=[storefront.slug]), {
        "k": 6, "alpha": 0, "beta": 0, "gamma": 0, "candidates": 3, "seed": 0})
    assert "must be above zero" in response.content.decode()


def test_job_page_of_another_creator_is_404(client, other_creator, make_palette):
    palette = make_palette()
    client.force_login(other_creator)
    assert client.get(reverse("themes:palette_job", args=[palette.job_id])).status_code == 404
    assert client.post(reverse("themes:palette_submit", args=[palette.pk])).status_code == 404
    assert Palette.objects.get(pk=palette.pk).status == "proposed"


def test_cover_is_served_with_etag_and_long_cache_and_changes_url_when_input_changes(client, course):
    from themes.cover_store import cover_url

    url = cover_url(course, "thumb")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"] and response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    course.title = "A different title"
    course.save()
    assert cover_url(course, "thumb") != url


def test_every_token_format_carries_the_colours_the_css_derives(client, make_palette):
    """The W3C and Tailwind files carry link, muted and the inks on primary and accent, with the values the
    theme's CSS uses (a component built from the tokens gets the same legible colours as the site)."""
    import re

    palette = make_palette(status="active")
    slug = palette.storefront.slug
    css = client.get(reverse("themes:download_tokens", args=[slug, "css"])).content.decode()
    blocks = {"light": css[:css.index("@media")], "dark": css[css.index("@media"):]}
    names = ("on-primary", "on-accent", "link", "muted")
    expected = {variant: {name: re.search(rf"--c-{name}: (#[0-9a-f]{{6}});", block).group(1) for name in names}
                for variant, block in blocks.items()}
    w3c = json.loads(client.get(reverse("themes:download_tokens", args=[slug, "w3c"])).content)
    tailwind = client.get(reverse("themes:download_tokens", args=[slug, "tailwind"])).content.decode()
    for name in names:
        light, dark = expected["light"][name], expected["dark"][name]
        assert w3c["color"]["light"][name] == {"$type": "color", "$value": light}
        assert w3c["color"]["dark"][name] == {"$type": "color", "$value": dark}
        assert re.search(rf'"{name}": \{{\s*"DEFAULT": "{light}",\s*"dark": "{dark}"', tailwind), name
