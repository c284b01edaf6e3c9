"""Give each demo storefront an approved, active palette (run through the real services) and queue the
first recommender training, so `make run` shows themed storefronts and personal feeds from the start."""

from collections.abc import Callable


def seed_palettes(*, progress: Callable[[int], None] | None = None) -> int:
    """Generate, review and activate one palette per storefront that has none; returns how many."""
    from django.db import transaction

    from courseplatform.accounts.models import User
    from courseplatform.catalog.models import Storefront
    from themes import services
    from themes.models import Palette, PaletteJob

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    done = 0
    for storefront in Storefront.objects.order_by("pk"):
        if Palette.objects.filter(storefront=storefront).exists():
            continue
        colors = list(storefront.brand_colors)
        brief = {"brand_colors": colors, "locks": [[colors[0], "primary"]] if colors else [],
                 "keywords": ", ".join(storefront.brand_keywords), "k": 6, "alpha": 1.0, "beta": 1.0,
                 "gamma": 1.0, "candidates": 1, "seed": 0, "starts": 256, "steps": 40}
        with transaction.atomic():
            job = PaletteJob.objects.create(storefront=storefront, requested_by=storefront.owner, brief=brief,
                                            brief_hash=services.brief_hash(brief))
        services.palette_job_execute(job.pk, "cpu")
        palette = Palette.objects.filter(job=job).order_by("rank").first()
        if palette is None:
            continue
        services.palette_submit(palette=palette, actor=storefront.owner)
        services.palette_approve(palette=palette, actor=admin, note="demo palette")
        services.palette_activate(palette=palette, actor=storefront.owner)
        done += 1
        if progress:
            progress(1)
    return done


def queue_first_training() -> bool:
    from recommender.models import ModelVersion
    from recommender.services import training_request

    if ModelVersion.objects.exists():
        return False
    training_request()
    return True
