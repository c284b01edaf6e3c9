"""The site header leads to search for everyone and to the wishlist for people who are signed in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_everyone_finds_search_in_the_header_and_only_the_signed_in_find_their_wishlist(client, learner):
    page = client.get(reverse("catalog:home")).content.decode()
    assert f'href="{reverse("search:results")}"' in page
    assert f'href="{reverse("search:wishlist")}"' not in page
    client.force_login(learner)
    page = client.get(reverse("catalog:home")).content.decode()
    assert f'href="{reverse("search:wishlist")}"' in page
