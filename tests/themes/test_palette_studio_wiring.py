"""The palette studio's wiring to the engine (issue 20): up to 8 brand colours in the brief, brand colours
suggested from the logo (a worker runs ``extract_colours``), APCA, colour-vision previews and tonal ramps
stored with each candidate and shown in the studio and the design tokens, and objective-term plugins with a
differentiable ``torch_score`` steering the optimiser."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image, ImageDraw

from courseplatform.jobs.models import JobStatus
from themes import services
from themes.forms import MAX_BRIEF_COLOURS, PaletteBriefForm
from themes.models import LogoColours, Palette, PaletteJob
from themes.plugins import OBJECTIVE_TERMS

from .conftest import FAST_BRIEF

pytestmark = pytest.mark.django_db

EIGHT = ["#1e88e5", "#e53935", "#43a047", "#fdd835", "#8e24aa", "#fb8c00", "#00897b", "#6d4c41"]


def _brief_data(colours, **extra):
    data = {"keywords": "tech", "k": 6, "alpha": 1, "beta": 1, "gamma": 1, "candidates": 2, "seed": 0}
    for i, colour in enumerate(colours, start=1):
        data[f"color_{i}"] = colour
    data.update(extra)
    return data


# --- more brand colours ------------------------------------------------------------------------------------------

def test_the_brief_takes_up_to_eight_brand_colours_with_locks_and_roles():
    form = PaletteBriefForm(_brief_data(EIGHT, lock_1="on", role_1="primary", lock_5="on", role_5="accent"))
    assert form.is_valid(), form.errors
    brief = form.brief()
    assert brief["brand_colors"] == EIGHT
    assert brief["locks"] == [["#1e88e5", "primary"], ["#8e24aa", "accent"]]
    assert MAX_BRIEF_COLOURS == 8 and "color_9" not in form.fields


def test_the_brief_refuses_the_same_colour_twice_and_names_the_row():
    form = PaletteBriefForm(_brief_data(["#1e88e5", "#1E88E5"]))
    assert not form.is_valid()
    assert "already in the brief" in str(form.errors["color_2"])


def test_the_studio_shows_eight_labelled_colour_rows_and_queues_a_job_with_all_of_them(client, creator, storefront):
    client.force_login(creator)
    url = reverse("themes:palette_studio", args=[storefront.slug])
    page = client.get(url).content.decode()
    for i in range(1, 9):
        assert f'for="id_color_{i}"' in page and f'id="id_lock_{i}"' in page and f'for="id_role_{i}"' in page
    response = client.post(url, _brief_data(EIGHT, lock_1="on", role_1="primary"))
    assert response.status_code == 302
    job = PaletteJob.objects.get(storefront=storefront)
    assert job.brief["brand_colors"] == EIGHT and job.brief["locks"] == [["#1e88e5", "primary"]]


# --- colours from the logo -------------------------------------------------------------------------------------------

def _logo_png() -> bytes:
    """A red disc and a blue bar on a white field, with black lettering (near-grey, counts little)."""
    image = Image.new("RGB", (240, 120), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 110, 110), fill=(211, 47, 47))
    draw.rectangle((130, 20, 230, 60), fill=(21, 101, 192))
    draw.rectangle((130, 80, 230, 86), fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def logo_storefront(storefront):
    storefront.logo.save("logo.png", ContentFile(_logo_png()), save=True)
    return storefront


def _hue_distance(hex_a: str, hex_b: str) -> int:
    a = [int(hex_a[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(hex_b[i:i + 2], 16) for i in (1, 3, 5)]
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


def test_logo_colours_are_extracted_by_the_worker_service_without_the_background(client, creator, logo_storefront):
    client.force_login(creator)
    response = client.post(reverse("themes:logo_colours_request", args=[logo_storefront.slug]))
    assert response.status_code == 302
    row = LogoColours.objects.get(storefront=logo_storefront)
    assert row.status == JobStatus.QUEUED and row.logo_name == logo_storefront.logo.name
    studio = client.get(reverse("themes:palette_studio", args=[logo_storefront.slug])).content.decode()
    assert "Reading the colours of your logo" in studio  # polled until the worker is done

    services.logo_colours_extract(row.pk)  # what the worker task runs

    row.refresh_from_db()
    assert row.status == JobStatus.SUCCEEDED
    hexes = [c["hex"] for c in row.colours]
    assert _hue_distance(hexes[0], "#d32f2f") < 12  # the largest chromatic area first, its own pixel colour
    assert any(_hue_distance(h, "#1565c0") < 12 for h in hexes)
    assert "#ffffff" not in hexes  # the border background is discounted
    assert abs(sum(c["share"] for c in row.colours) - 1.0) < 0.02
    fragment = client.get(reverse("themes:logo_colours_progress", args=[logo_storefront.slug])).content.decode()
    assert hexes[0] in fragment and f"?logo={row.pk}" in fragment and "hx-get" not in fragment


def test_accepting_the_logo_colours_fills_the_brief_for_editing(client, creator, logo_storefront):
    row = LogoColours.objects.create(storefront=logo_storefront, logo_name=logo_storefront.logo.name,
                                     status=JobStatus.SUCCEEDED,
                                     colours=[{"hex": "#d32f2f", "share": 0.7}, {"hex": "#1565c0", "share": 0.3}])
    client.force_login(creator)
    url = reverse("themes:palette_studio", args=[logo_storefront.slug])
    page = client.get(url, {"logo": row.pk}).content.decode()
    assert 'name="color_1" value="#d32f2f"' in page and 'name="color_2" value="#1565c0"' in page
    assert client.get(url, {"logo": "x"}).status_code == 404
    assert client.get(url, {"logo": row.pk + 1}).status_code == 404


def test_the_same_logo_is_read_once_and_a_new_logo_gets_new_suggestions(creator, logo_storefront):
    first = services.logo_colours_request(storefront=logo_storefront, actor=creator)
    again = services.logo_colours_request(storefront=logo_storefront, actor=creator)
    assert first.pk == again.pk
    logo_storefront.logo.save("logo.png", ContentFile(_logo_png()), save=True)  # a new upload: a new file name
    assert services.logo_colours_request(storefront=logo_storefront, actor=creator).pk != first.pk


def test_without_a_logo_the_request_says_to_upload_one(client, creator, storefront):
    client.force_login(creator)
    response = client.post(reverse("themes:logo_colours_request", args=[storefront.slug]), follow=True)
    assert "Upload a logo first" in response.content.decode()
    assert not LogoColours.objects.exists()


def test_an_unreadable_logo_fails_the_row_with_a_reason(creator, storefront):
    storefront.logo.save("logo.png", ContentFile(b"not an image at all"), save=True)
    row = services.logo_colours_request(storefront=storefront, actor=creator)
    services.logo_colours_extract(row.pk)
    row.refresh_from_db()
    assert row.status == JobStatus.FAILED and "could not be read" in row.reason


def test_another_creators_logo_colours_are_out_of_reach(client, other_creator, logo_storefront):
    client.force_login(other_creator)
    assert client.post(reverse("themes:logo_colours_request", args=[logo_storefront.slug])).status_code in (403, 404)
    assert client.get(reverse("themes:logo_colours_progress", args=[logo_storefront.slug])).status_code in (403, 404)
    assert not LogoColours.objects.exists()


# --- APCA, colour-vision previews, tonal ramps ------------------------------------------------------------------------

@pytest.fixture
def finished_job(storefront, creator):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="w")
    services.palette_job_execute(job.pk, "cpu")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    return job


def test_candidates_keep_apca_cvd_previews_and_tonal_ramps_and_the_job_page_shows_them(client, creator,
                                                                                     finished_job):
    palette = finished_job.palettes.order_by("rank").first()
    details = palette.details
    assert details["apca"]["light"]["text/background"] > 60  # APCA Lc of body text on the background
    assert set(details["cvd"]["light"]) == {"deuteranopia", "protanopia", "tritanopia"}
    assert details["tones"]["light"]["primary"]["0"]["hex"] == "#000000"
    client.force_login(creator)
    page = client.get(reverse("themes:palette_job", args=[finished_job.pk])).content.decode()
    assert "APCA Lc" in page
    assert "Colour-vision deficiency preview" in page and details["cvd"]["light"]["deuteranopia"]["primary"].lower() in page
    assert "Tonal ramps" in page and details["tones"]["dark"]["accent"]["40"]["hex"].lower() in page


def test_design_tokens_carry_the_tonal_ramps_of_the_active_palette(client, finished_job):
    palette = finished_job.palettes.order_by("rank").first()
    Palette.objects.filter(pk=palette.pk).update(status="active")
    slug = finished_job.storefront.slug
    ramp = palette.details["tones"]
    tone40 = ramp["light"]["primary"]["40"]["hex"].lower()
    dark80 = ramp["dark"]["accent"]["80"]["hex"].lower()

    css = client.get(reverse("themes:download_tokens", args=[slug, "css"])).content.decode()
    assert f"--c-primary-40: {tone40};" in css and f"--c-accent-80: {dark80};" in css
    w3c = json.loads(client.get(reverse("themes:download_tokens", args=[slug, "w3c"])).content)
    assert w3c["tone"]["light"]["primary"]["40"] == {"$type": "color", "$value": tone40}
    assert w3c["color"]["light"]["primary"]["$value"] == palette.colors["primary"].lower()
    tailwind = client.get(reverse("themes:download_tokens", args=[slug, "tailwind"])).content.decode()
    assert f'"40": "{tone40}"' in tailwind and '"accent-dark"' in tailwind
    guide = client.get(reverse("themes:style_guide", args=[slug])).content.decode()
    assert "Tonal ramps" in guide and "Colour-vision deficiency preview" in guide


def test_tokens_of_a_palette_without_ramps_are_the_roles_alone(client, make_palette):
    palette = make_palette(status="active")
    css = client.get(reverse("themes:download_tokens", args=[palette.storefront.slug, "css"])).content.decode()
    assert "--c-primary: #1e88e5;" in css and "tonal ramps" not in css


def test_a_malformed_stored_ramp_never_reaches_the_css(client, make_palette):
    palette = make_palette(status="active")
    palette.details = {"tones": {"light": {"primary": {"40": {"hex": "red;}body{x:y"}, "50": {"hex": "#123456"}},
                                           "evil}": {"40": {"hex": "#000000"}}}}}
    palette.save()
    css = client.get(reverse("themes:download_tokens", args=[palette.storefront.slug, "css"])).content.decode()
    assert "--c-primary-50: #123456;" in css and "red;" not in css and "evil" not in css


# --- objective-term plugins inside the optimiser ------------------------------------------------------------------

class DarkAccent:
    """Prefers a dark accent (1 - its mean linear RGB), differentiable, so the optimiser can follow it."""

    name, label, weight = "dark_accent", "Dark accent", 3.0

    def score(self, palette):
        return 1 - sum(int(palette["accent"][i:i + 2], 16) for i in (1, 3, 5)) / 765

    def torch_score(self, light, dark):
        return 1.0 - light[:, 5, :].mean(-1)


class BrokenTorch(DarkAccent):
    name = "broken_torch"

    def torch_score(self, light, dark):
        return 0.5  # not a tensor: re-ranks only


def _run(storefront, creator, tag):
    brief = {**FAST_BRIEF, "candidates": 3}
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=brief, brief_hash=tag)
    services.palette_job_execute(job.pk, "cpu")
    return list(Palette.objects.filter(job=job).order_by("rank"))


def test_a_differentiable_plugin_term_steers_the_search_and_counts_once(storefront, creator):
    def darkness(p):
        return 1 - sum(int(p.colors["accent"][i:i + 2], 16) for i in (1, 3, 5)) / 765

    plain = _run(storefront, creator, "plain")
    with OBJECTIVE_TERMS.register_temporarily(DarkAccent()):
        steered = _run(storefront, creator, "steered")
    assert min(darkness(p) for p in steered) > max(darkness(p) for p in plain)  # the optimiser went for it
    for palette in steered:
        assert palette.scores["dark_accent"] == pytest.approx(palette.scores["plugins"]["dark_accent"], abs=1e-3)
        assert palette.scores["total"] == pytest.approx(palette.scores["U"], abs=1e-4)  # already inside U


def test_a_torch_score_that_fails_its_probe_falls_back_to_re_ranking(storefront, creator, caplog):
    with OBJECTIVE_TERMS.register_temporarily(BrokenTorch()):
        assert services._engine_terms() == []
        palettes = _run(storefront, creator, "broken")
    assert "broken_torch" in caplog.text
    for palette in palettes:
        assert "broken_torch" not in palette.scores  # not in the engine's U
        assert palette.scores["total"] == pytest.approx(
            palette.scores["U"] + 3.0 * palette.scores["plugins"]["broken_torch"], abs=1e-3)


# --- the brief's own rules, on the form (before a job is queued) -------------------------------------------------

def test_an_empty_brief_is_refused_with_a_message():
    form = PaletteBriefForm(_brief_data([], keywords=""))
    assert not form.is_valid()
    assert "at least one brand colour or a brand keyword" in str(form.non_field_errors())


def test_a_lock_on_an_empty_colour_row_is_refused_not_dropped():
    form = PaletteBriefForm(_brief_data([], lock_1="on", role_1="primary"))
    assert not form.is_valid()
    assert "Enter the colour to keep exactly" in str(form.errors["color_1"])


def test_unticking_keep_exactly_on_the_prefilled_row_frees_the_colour_whatever_its_role():
    """The studio prefills row 1 as kept, primary: unticking the box means "don't pin it"; the role goes with it."""
    form = PaletteBriefForm(_brief_data(["#1e88e5"], role_1="primary"))
    assert form.is_valid(), form.errors
    assert form.brief()["locks"] == [] and form.brief()["brand_colors"] == ["#1e88e5"]


def test_two_locks_in_one_role_are_refused_on_the_second_row():
    form = PaletteBriefForm(_brief_data(["#1e88e5", "#e53935"], lock_1="on", role_1="primary", lock_2="on",
                                        role_2="primary"))
    assert not form.is_valid()
    assert "Brand colour 1 already keeps this role" in str(form.errors["role_2"])


def test_more_locks_than_the_palette_has_roles_are_refused_on_the_number_of_colours():
    locks = {f"lock_{i}": "on" for i in range(1, 9)}
    form = PaletteBriefForm(_brief_data(EIGHT, **locks))
    assert not form.is_valid()
    assert "8 colours are kept exactly but a palette of 6 colours" in str(form.errors["k"])


def test_unassigned_locks_beyond_the_free_brand_roles_are_refused():
    form = PaletteBriefForm(_brief_data(EIGHT[:4], k=6, lock_1="on", lock_2="on", lock_3="on", lock_4="on"))
    assert not form.is_valid()
    assert "without a role: 4; brand roles left for them: 3" in str(form.errors["k"])


def test_a_role_merged_at_this_number_of_colours_is_refused():
    form = PaletteBriefForm(_brief_data(["#1e88e5"], k=5, lock_1="on", role_1="secondary"))
    assert not form.is_valid()
    assert "no separate secondary" in str(form.errors["role_1"])


@pytest.mark.parametrize("k,locks", [
    (6, {"lock_1": "on", "role_1": "primary", "lock_2": "on", "role_2": "background", "lock_3": "on", "lock_4": "on"}),
    (6, {"lock_1": "on", "role_1": "primary", "lock_2": "on", "lock_3": "on", "lock_4": "on"}),
    (3, {"lock_1": "on", "role_1": "primary", "lock_2": "on", "role_2": "background"}),
    (3, {"lock_1": "on", "lock_2": "on"}),
    (4, {"lock_1": "on", "role_1": "accent"}),
    (5, {"lock_1": "on", "role_1": "accent", "lock_2": "on"}),
    (10, {f"lock_{i}": "on" for i in range(1, 8)}),
    (10, {f"lock_{i}": "on" for i in range(1, 9)}),
])
def test_the_form_accepts_a_lock_plan_exactly_when_the_engine_does(k, locks):
    from themes.palette import Brief

    form = PaletteBriefForm(_brief_data(EIGHT, k=k, **locks))
    engine_locks = [(EIGHT[i - 1], locks.get(f"role_{i}") or None) for i in range(1, 9) if f"lock_{i}" in locks]
    try:
        Brief(brand_colors=EIGHT, locks=engine_locks, k=k).validate()
    except ValueError:
        engine_ok = False
    else:
        engine_ok = True
    assert form.is_valid() == engine_ok, form.errors


def test_a_palette_of_eight_colours_shows_every_accent_in_the_roles_previews_and_ramps(client, creator, storefront):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief={**FAST_BRIEF, "k": 8},
                                    brief_hash="k8")
    services.palette_job_execute(job.pk, "cpu")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    palette = job.palettes.order_by("rank").first()
    assert {"accent2", "accent3"} <= set(palette.colors)
    client.force_login(creator)
    page = client.get(reverse("themes:palette_job", args=[job.pk])).content.decode()
    for role in ("accent2", "accent3"):  # the swatch row (its colour drawn), the CVD preview, the ramp
        assert f'<tr data-role="{role}">' in page and f'fill="{palette.colors[role].lower()}"' in page
        assert palette.details["cvd"]["light"]["deuteranopia"][role].lower() in page
        assert palette.details["tones"]["light"][role]["40"]["hex"].lower() in page
    from themes.presentation import swatches

    assert [s["role"] for s in swatches(palette)][-2:] == ["accent2", "accent3"]


def test_a_decoration_pair_is_labelled_with_the_wcag_level_it_reaches(make_palette):
    from themes.presentation import contrast_rows

    palette = make_palette()
    palette.contrast = {"light": {"accent/background": 9.12, "secondary/background": 5.0,
                                  "secondary/surface": 3.2, "accent/surface": 2.1}, "dark": {}}
    labels = {row["pair"]: str(row["cells"][0]["label"]) for row in contrast_rows(palette)}
    assert labels["accent/background"] == "AAA" and labels["secondary/background"] == "AA"
    assert labels["secondary/surface"] == "ok for large text" and labels["accent/surface"] == "decorative only"
