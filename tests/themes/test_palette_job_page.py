"""The palette job page for creators (issue 19 item 6): candidates named after their colours, a side-by-side compare
view of two or three candidates, compare checkboxes with their labels; the storefront form shows the current
logo as a thumbnail, not its hashed file name."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image

from tests.factories import CreatorFactory, StorefrontFactory
from tests.themes.conftest import LIGHT
from themes.models import PaletteJob
from themes.presentation import colour_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(storefront, make_palette):
    job = PaletteJob.objects.create(storefront=storefront, brief={"brand_colors": [], "keywords": "", "k": 6},
                                    brief_hash="y" * 64, status="succeeded", progress=1.0)
    make_palette(job=job, colors={**LIGHT, "primary": "#0b3d3a", "accent": "#f8bbd0"})
    make_palette(job=job, colors={**LIGHT, "primary": "#1e88e5", "accent": "#efd942"})
    make_palette(job=job, colors={**LIGHT, "primary": "#6a1b9a", "accent": "#777777"})
    make_palette(job=job)
    return job


def test_colour_names_follow_hue_and_lightness():
    assert [colour_name(c) for c in ("#0b3d3a", "#f8bbd0", "#1e88e5", "#efd942", "#777777", "#2e7d32")] == [
        "deep teal", "light pink", "blue", "yellow", "grey", "deep green"]


def test_candidates_are_numbered_per_job_and_named_after_their_colours_in_the_page_language(job):
    first, second = job.palettes.order_by("rank")[:2]
    assert first.display_name == "Candidate 1 — Deep teal with light pink"
    assert second.display_name == "Candidate 2 — Blue with yellow"
    with translation.override("zh-hans"):
        assert first.display_name == "候选 1 — 深青绿色配浅粉色"


def test_the_job_page_shows_names_and_a_labelled_compare_checkbox_per_candidate(client, creator, job):
    client.force_login(creator)
    html = client.get(f"/studio/palette-jobs/{job.pk}/").content.decode()
    assert "Candidate 1 — Deep teal with light pink" in html and not re.search(r"Palette \d+ \(", html)
    boxes = re.findall(r'<input type="checkbox" name="ids" value="(\d+)" id="([^"]+)" form="compare-form">', html)
    assert len(boxes) == 4
    for _pk, box_id in boxes:
        assert f'<label for="{box_id}">' in html
    assert 'id="compare-form"' in html


def test_compare_shows_two_or_three_candidates_side_by_side(client, creator, job):
    client.force_login(creator)
    first, second, third, _fourth = job.palettes.order_by("rank")
    response = client.get(f"/studio/palette-jobs/{job.pk}/compare/", {"ids": [first.pk, third.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="candidate compare-column"') == 2
    assert first.display_name in html and third.display_name in html and second.display_name not in html
    assert "Harmony" in html and "best" in html  # the score table with the best value per row marked
    three = client.get(f"/studio/palette-jobs/{job.pk}/compare/", {"ids": [first.pk, second.pk, third.pk]})
    assert three.content.decode().count('class="candidate compare-column"') == 3


@pytest.mark.parametrize("pick", ["one", "four", "other_job", "junk", "repeat"])
def test_compare_refuses_anything_but_two_or_three_of_the_jobs_candidates_with_a_400(client, creator, job, pick,
                                                                                    make_palette):
    client.force_login(creator)
    ids = list(job.palettes.order_by("rank").values_list("pk", flat=True))
    stranger = make_palette()  # a candidate of another job of the same storefront
    chosen = {"one": ids[:1], "four": ids, "other_job": [ids[0], stranger.pk], "junk": [ids[0], "x1"],
              "repeat": [ids[0], ids[0]]}[pick]
    response = client.get(f"/studio/palette-jobs/{job.pk}/compare/", {"ids": chosen})
    assert response.status_code == 400
    assert "Choose two or three different candidates of this job to compare." in response.content.decode()


def test_compare_of_another_creators_job_is_a_404(client, job):
    client.force_login(CreatorFactory())
    ids = list(job.palettes.values_list("pk", flat=True))[:2]
    assert client.get(f"/studio/palette-jobs/{job.pk}/compare/", {"ids": ids}).status_code == 404


def test_the_storefront_form_shows_the_current_logo_as_a_thumbnail_not_its_hashed_file_name(client, creator):
    storefront = StorefrontFactory(owner=creator)
    out = io.BytesIO()
    Image.new("RGB", (80, 80), (200, 30, 30)).save(out, format="PNG")
    storefront.logo.save("0123456789abcdef0123456789abcdef.png", ContentFile(out.getvalue()), save=True)
    client.force_login(creator)
    html = client.get(f"/studio/storefronts/{storefront.slug}/").content.decode()
    stored = storefront.logo.name.rsplit("/", 1)[-1]
    assert f'<img src="{storefront.logo.url}" alt="Current logo"' in html
    text = re.sub(r"<[^>]+>", " ", html)  # what a person reads: no file name anywhere
    assert stored not in text and "0123456789abcdef" not in text


def test_the_page_preview_names_the_candidate_palette_it_shows(client, creator, storefront, job):
    candidate = job.palettes.order_by("rank").first()
    client.force_login(creator)
    html = client.get(f"/studio/storefronts/{storefront.slug}/page/preview/", {"palette": candidate.pk}).content.decode()
    assert f"Preview of the draft in {candidate.display_name}." in html
    assert f"candidate palette {candidate.pk}" not in html


def test_a_b_test_arm_choices_name_palettes_after_their_colours(storefront, job):
    from themes.experiment_arms import PaletteArms

    approved = job.palettes.order_by("rank").first()
    approved.status = "approved"
    approved.save()
    (label,) = [label for ref, label in PaletteArms().choices(storefront) if ref == str(approved.pk)]
    assert label.startswith("Candidate 1 — Deep teal with light pink (approved; harmony ")


def test_compare_reads_every_candidates_contrast_across_one_table(client, creator, job):
    """The figures being compared sit side by side in one table (they were scrolled out of narrow columns)."""
    client.force_login(creator)
    first, second, _third, _fourth = job.palettes.order_by("rank")
    for palette, ratio in ((first, 15.0), (second, 12.34)):
        palette.contrast = {"light": {"text/background": ratio, "accent/background": 7.5},
                            "dark": {"text/background": ratio - 1}}
        palette.save(update_fields=["contrast"])
    html = client.get(f"/studio/palette-jobs/{job.pk}/compare/", {"ids": [first.pk, second.pk]}).content.decode()
    table = html[html.index('class="data compare-contrast"'):]
    table = table[:table.index("</table>")]
    assert first.display_name in table and second.display_name in table
    row = table[table.index("text/background"):]
    row = row[:row.index("</tr>")]
    assert "15.00:1" in row and "14.00:1" in row and "12.34:1" in row and "11.34:1" in row
    assert 'class="data contrast-table"' not in html  # no per-column copy left to scroll


def test_an_activation_notes_the_replaced_palette_by_its_name_in_the_actors_language(creator, make_palette):
    from themes import services

    old, new = make_palette(status="active"), make_palette(status="approved")
    with translation.override("zh-hans"):
        services.palette_activate(palette=new, actor=creator)
    old.refresh_from_db()
    assert old.status == "retired"
    note = old.transitions.order_by("pk").last().note
    with translation.override("zh-hans"):
        expected = f"已被{new.display_name}取代（配色任务 {new.job_id}）"
    assert note == expected


def test_a_refused_lock_plan_shows_its_reason_beside_the_row(client, creator, storefront):
    client.force_login(creator)
    response = client.post(f"/studio/storefronts/{storefront.slug}/palettes/", {
        "color_1": "#1e88e5", "lock_1": "on", "role_1": "primary", "color_2": "#e53935", "lock_2": "on",
        "role_2": "primary", "keywords": "", "k": 6, "alpha": 1, "beta": 1, "gamma": 1, "candidates": 2, "seed": 0})
    html = response.content.decode()
    assert response.status_code == 200 and not PaletteJob.objects.filter(storefront=storefront).exists()
    assert "Brand colour 1 already keeps this role" in html
