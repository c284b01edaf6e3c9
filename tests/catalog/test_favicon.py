"""Every page names its icon, so browsers never ask for a missing /favicon.ico; the icons are real images."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

ICONS = {"favicon.svg": "image/svg+xml", "favicon-32.png": "image/png", "apple-touch-icon.png": None}


def icon_links(html: str) -> list[str]:
    return re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]*>', html)


@pytest.mark.parametrize("url", ["/", "/zh-hans/", "/accounts/login/"])
def test_every_page_links_its_icons(client, url):
    links = icon_links(client.get(url).content.decode())
    for name, media_type in ICONS.items():
        (link,) = [link for link in links if f'href="{static(name)}"' in link]
        if media_type:
            assert f'type="{media_type}"' in link


def test_logged_in_pages_link_the_icon_too(client, learner):
    client.force_login(learner)
    assert f'href="{static("favicon.svg")}"' in client.get(reverse("catalog:my_learning")).content.decode()


def test_the_svg_icon_is_a_small_square_svg():
    path = finders.find("favicon.svg")
    assert path, "courseplatform/static/favicon.svg is missing"
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 64 64"
    assert not any(el.tag.endswith("script") or el.tag.endswith("foreignObject") for el in root.iter())
    with open(path, "rb") as handle:
        assert len(handle.read()) < 2048


@pytest.mark.parametrize(("name", "size"), [("favicon-32.png", (32, 32)), ("apple-touch-icon.png", (180, 180))])
def test_the_png_icons_have_their_sizes(name, size):
    path = finders.find(name)
    assert path, f"courseplatform/static/{name} is missing"
    with open(path, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.format == "PNG" and image.size == size
