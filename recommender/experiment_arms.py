"""Model-version A/B tests: the recommender's arm kind for the core's experiments framework
(``courseplatform/experiments/hookspecs.py`` has the contract).

An arm is a model version id (``Variant.arm``). A visitor of the storefront in arm B gets the storefront's
personal picks (its "recommended" section) from version B's materialised feed (``platform_hooks``); the
framework tags their enrolments with the variant (its outcome). A version whose feed rows were pruned gets them
rebuilt by a worker once the experiment is created or started (``services.version_feeds_prepare``).
"""

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import ModelVersion

KIND = "recommender_model"


def _ids(refs: list[str]) -> list[int]:
    try:
        return [int(ref) for ref in refs]
    except (TypeError, ValueError):
        raise ValidationError(_("Choose trained model versions."), code="unknown_version") from None


def version_label(version: ModelVersion) -> str:
    ndcg = version.metric("ndcg@10")
    label = _("Model version #%(id)d (%(algorithm)s, NDCG@10 %(ndcg)s)") % {
        "id": version.pk, "algorithm": version.algorithm, "ndcg": "–" if ndcg is None else f"{ndcg:.4f}"}
    return f"{label} — {_('active')}" if version.is_active else label


class ModelVersionArms:
    """Arm kind "recommender_model": each variant ranks the storefront's personal picks with one trained
    version (the active one is the natural control)."""

    slug = KIND
    label = gettext_lazy("Recommender model version")

    def choices(self, storefront) -> list[tuple[str, str]]:
        versions = [v for v in ModelVersion.objects.order_by("-is_active", "-id")[:20] if v.is_servable]
        return [(str(v.pk), version_label(v)) for v in versions]

    def check(self, storefront, refs: list[str]) -> None:
        ids = _ids(refs)
        versions = {v.pk: v for v in ModelVersion.objects.select_for_update().filter(pk__in=ids)}
        if len(versions) != len(set(ids)) or not all(v.is_servable for v in versions.values()):
            raise ValidationError(_("Every variant must be a trained model version with a saved model."),
                                  code="unknown_version")
        # create and start both check the arms: make sure every arm has feed rows to serve (idempotent)
        services.version_feeds_prepare([v for v in versions.values() if v.feed_count == 0])

    def label_of(self, ref: str) -> str:
        return f"#{ref}"

    def describe(self, variants) -> dict[str, str]:
        versions = ModelVersion.objects.in_bulk(_ids([v.arm for v in variants]))
        out = {}
        for v in variants:
            version = versions.get(int(v.arm))
            out[v.key] = format_html("{}", version_label(version)) if version else format_html("#{}", v.arm)
        return out

    def stylesheet_urls(self, refs: list[str]) -> list[str]:
        return []

    def promote(self, storefront, winner: str, others: list[str], actor) -> str:
        """Activate the winning version for the whole platform: staff only (a version serves every storefront)."""
        if actor is None or not actor.is_staff:
            raise ValidationError(_("The winning model version serves every storefront: ask staff to activate it "
                                    "on the recommender page."), code="staff_only")
        version = ModelVersion.objects.filter(pk=_ids([winner])[0]).first()
        if version is None:
            raise ValidationError(_("The winning model version no longer exists."), code="unknown_version")
        if services.version_request_activation(version=version, actor=actor):
            return _("Model version #%(id)d now serves the feeds.") % {"id": version.pk}
        return _("Rebuilding the feeds of model version #%(id)d; it becomes active when they are ready.") % {
            "id": version.pk}


ARMS = ModelVersionArms()
