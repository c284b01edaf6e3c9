"""Demo steps of the plugins: an approved, active palette per storefront (run through the theming plugin's real
services) and the first recommender training, so `make run` shows themed storefronts and personal feeds from the
start. Imported by ``seed_demo`` only when both plugins are installed (their models need their apps)."""

from collections.abc import Callable

from django.db import transaction

from courseplatform.accounts.models import User
from courseplatform.catalog.models import Storefront
from recommender.models import ModelVersion
from recommender.services import training_request
from themes import services as theme_services
from themes.models import Palette, PaletteJob

#: the plugin apps these steps need
APPS = ("themes", "recommender")


def _demo_brief(storefront: Storefront) -> dict:
    colors = list(storefront.brand_colors)
    return {"brand_colors": colors, "locks": [[colors[0], "primary"]] if colors else [],
            "keywords": ", ".join(storefront.brand_keywords), "k": 6, "alpha": 1.0, "beta": 1.0,
            "gamma": 1.0, "candidates": 1, "seed": 0, "starts": 256, "steps": 40}


def seed_palettes(*, progress: Callable[[int], None] | None = None) -> int:
    """Generate, review and activate one palette per storefront that has none; returns how many."""
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    done = 0
    for storefront in Storefront.objects.order_by("pk"):
        if Palette.objects.filter(storefront=storefront).exists():
            continue
        brief = _demo_brief(storefront)
        with transaction.atomic():
            job = PaletteJob.objects.create(storefront=storefront, requested_by=storefront.owner, brief=brief,
                                            brief_hash=theme_services.brief_hash(brief))
        theme_services.palette_job_execute(job.pk, "cpu")
        palette = Palette.objects.filter(job=job).order_by("rank").first()
        if palette is None:
            continue
        theme_services.palette_submit(palette=palette, actor=storefront.owner)
        theme_services.palette_approve(palette=palette, actor=admin, note="demo palette")
        theme_services.palette_activate(palette=palette, actor=storefront.owner)
        done += 1
        if progress:
            progress(1)
    return done


#: a second model trained on the demo history, so staff can start an interleaving test of two versions at once
SECOND_DEMO_ALGORITHM = "itemknn"


def queue_first_training() -> bool:
    """Queue the first training runs unless a model version exists: the platform's default model, and a second
    algorithm that staff can interleave with it on the recommender page. Returns whether they were queued."""
    if ModelVersion.objects.exists():
        return False
    training_request()
    training_request(algorithm=SECOND_DEMO_ALGORITHM)
    return True
