"""Issue 22, items 5 and 9: a palette's public variant assets (``/palettes/<pk>/theme.css``, ``cover.webp``)
exist only while it is an arm of a RUNNING experiment (or the storefront's active palette); a course id in
Unicode digits is a 404, not a 500."""

import pytest
from django.urls import reverse

from courseplatform.experiments import services

pytestmark = pytest.mark.django_db


def css(client, palette):
    return client.get(reverse("themes:palette_variant_asset", args=[palette.pk, "theme.css"])).status_code


def test_variant_assets_of_a_draft_or_stopped_experiment_are_not_public(client, storefront, creator, make_palette):
    active, challenger = make_palette("active"), make_palette("approved")
    draft = services.experiment_create(storefront=storefront, actor=creator, name="Draft", kind="palette",
                                       arms=[str(active.pk), str(challenger.pk)], baseline_rate=0.1,
                                       minimum_detectable_effect=0.05)
    assert css(client, challenger) == 404  # a draft's arm
    assert css(client, active) == 200  # the storefront's active palette is public anyway
    running = services.experiment_start(experiment=draft, actor=creator)
    assert css(client, challenger) == 200
    services.experiment_stop(experiment=running, actor=creator)
    assert css(client, challenger) == 404


def test_a_proposed_palette_is_never_public_even_as_an_arm(client, running, make_palette):
    assert css(client, make_palette("proposed")) == 404


@pytest.mark.parametrize("course", ["²", "٣", "1²", "9" * 40, "-1", " 1"])
def test_a_cover_for_a_course_id_in_unicode_or_oversized_digits_is_a_404(client, running, two_palettes, course):
    response = client.get(reverse("themes:palette_variant_asset", args=[two_palettes[1].pk, "cover.webp"]),
                          {"course": course, "size": "thumb"})
    assert response.status_code == 404
