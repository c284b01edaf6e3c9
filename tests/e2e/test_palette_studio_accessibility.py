"""axe-core over the palette pages issue 20 changed, with every disclosure open: the brief's eight colour rows and
the logo's suggested colours, the job page's APCA values, colour-vision previews and tonal-ramp tables, the style
guide's ramps (light and dark), the review queue's previews, at desktop and phone widths. No serious or critical
violation; the colour rows are reached by keyboard in order."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from courseplatform.jobs.models import JobStatus
from tests.e2e.accessibility import BLOCKING, axe_context, log_in, run_axe, seed_world
from themes.models import LogoColours

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => d.open = true)"


def _seed():
    world = seed_world()
    image = Image.new("RGB", (64, 64), (255, 255, 255))
    image.paste((46, 125, 50), (8, 8, 40, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    world.storefront.logo.save("logo.png", ContentFile(out.getvalue()), save=True)
    row = LogoColours.objects.create(storefront=world.storefront, logo_name=world.storefront.logo.name,
                                     status=JobStatus.SUCCEEDED,
                                     colours=[{"hex": "#2e7d32", "share": 0.8}, {"hex": "#f9a825", "share": 0.2}])
    return world, row


@pytest.mark.parametrize("width", [1280, 375])
def test_changed_palette_pages_with_open_disclosures_have_no_serious_or_critical_violation(live_server, browser,
                                                                                          width):
    world, row = _seed()
    slug = world.storefront.slug
    pages = [("creator", "light", f"/studio/storefronts/{slug}/palettes/"),
             ("creator", "light", f"/studio/storefronts/{slug}/palettes/?logo={row.pk}"),
             ("creator", "light", f"/studio/palette-jobs/{world.job.pk}/"),
             ("creator", "dark", f"/studio/palette-jobs/{world.job.pk}/"),
             (None, "light", f"/s/{slug}/style-guide/"),
             (None, "dark", f"/s/{slug}/style-guide/"),
             ("reviewer", "light", "/staff/palettes/")]
    users = {"creator": world.creator, "reviewer": world.reviewer}
    problems, contexts = [], {}
    try:
        for who, scheme, path in pages:
            if (who, scheme) not in contexts:
                contexts[who, scheme] = axe_context(browser, scheme=scheme, width=width)
                if who:
                    log_in(contexts[who, scheme].new_page(), live_server.url, users[who].username)
            context = contexts[who, scheme]
            page = context.pages[0] if context.pages else context.new_page()
            assert page.goto(live_server.url + path).status == 200, path
            page.evaluate(OPEN_DETAILS)
            problems += [f"{path} ({scheme}, {width}px): {v['id']} {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
                         for v in run_axe(page) if v["impact"] in BLOCKING]
            if "?logo=" in path:
                assert page.input_value("#id_color_2") == "#f9a825"
            if "palette-jobs" in path:
                assert page.locator("table.tone-table").count() >= 2 and page.locator(".cvd-preview").count() >= 1
    finally:
        for context in contexts.values():
            context.close()
    assert problems == []


def test_the_colour_rows_are_reached_by_keyboard_in_order(live_server, browser):
    world, _row = _seed()
    context = axe_context(browser)
    try:
        page = context.new_page()
        log_in(page, live_server.url, world.creator.username)
        page.goto(f"{live_server.url}/studio/storefronts/{world.storefront.slug}/palettes/")
        page.focus("#id_color_1")
        order = []
        for _ in range(6):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.id"))
        assert order == ["id_lock_1", "id_role_1", "id_color_2", "id_lock_2", "id_role_2", "id_color_3"]
    finally:
        context.close()
