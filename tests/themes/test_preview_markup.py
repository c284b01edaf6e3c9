"""The palette previews are named regions a screen reader announces: an aria-label on a bare <div> (no role) is
ignored by assistive technology and flagged by axe-core (aria-prohibited-attr)."""

from html.parser import HTMLParser

from django.urls import reverse

# elements whose implicit role may carry a name (ARIA in HTML); a <div> or <span> needs an explicit role
NAMEABLE = {"a", "button", "input", "select", "textarea", "nav", "main", "section", "form", "aside", "header",
            "footer", "img", "svg", "table", "ul", "ol", "dialog", "fieldset", "progress", "iframe", "details",
            "summary", "meter", "output", "article", "figure"}


class _Unnamed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "aria-label" in names and "role" not in names and tag not in NAMEABLE:
            self.found.append(f"<{tag} {names}>")


def _unnamed_labels(page: str) -> list[str]:
    parser = _Unnamed()
    parser.feed(page)
    return parser.found


def test_palette_previews_are_groups_with_a_name(client, make_palette):
    palette = make_palette(status="active")
    page = client.get(reverse("themes:style_guide", args=[palette.storefront.slug])).content.decode()
    assert f'class="preview pv-{palette.pk}"' in page and f'class="preview pv-{palette.pk}-dark"' in page
    assert _unnamed_labels(page) == []


def test_the_check_finds_a_label_on_a_bare_div():
    assert _unnamed_labels('<div aria-label="x"></div><div role="group" aria-label="y"></div>') == [
        "<div {'aria-label': 'x'}>"]
