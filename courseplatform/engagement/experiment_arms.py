"""Engagement mechanics on/off as an arm kind of the core's experiments framework (contract in
``courseplatform/experiments/hookspecs.py``): does showing polls and challenges change enrolment? Learners who
choose to take part differ from those who don't (the participation analytics compare them); only a randomised
split of visitors measures the effect.

Arm "on" shows the storefront's polls and challenges (course-page panel and poll sections), "off" hides them from
that visitor; the framework tags their enrolments with the variant."""

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courseplatform.experiments.selectors import visitor_arm

from .models import Poll

KIND = "engagement_mechanics"
ON, OFF = "on", "off"
LABELS = {ON: gettext_lazy("Polls and challenges shown"), OFF: gettext_lazy("Polls and challenges hidden")}


def mechanics_hidden(request, storefront) -> bool:
    """Whether this visitor is in the "off" arm of a running mechanics experiment on ``storefront`` (a read)."""
    return request is not None and visitor_arm(request, storefront, KIND) == OFF


class MechanicArms:
    slug = KIND
    label = gettext_lazy("Engagement mechanics (polls, challenges) on or off")

    def choices(self, storefront) -> list[tuple[str, str]]:
        return [(ON, str(LABELS[ON])), (OFF, str(LABELS[OFF]))]

    def check(self, storefront, refs: list[str]) -> None:
        if not set(refs) <= {ON, OFF}:
            raise ValidationError(_("Choose “shown” or “hidden” for each variant."), code="unknown_arm")

    def label_of(self, ref: str) -> str:
        return str(LABELS.get(ref, ref))

    def describe(self, variants) -> dict[str, str]:
        return {v.key: format_html("{}", self.label_of(v.arm)) for v in variants}

    def stylesheet_urls(self, refs: list[str]) -> list[str]:
        return []

    def promote(self, storefront, winner: str, others: list[str], actor) -> str:
        if winner == ON:
            return _("Polls and challenges stay shown to every visitor.")
        closed = Poll.objects.filter(storefront=storefront, closed=False).update(closed=True)
        return _("Hiding won: %(n)d open polls were closed; create no new challenges to keep them hidden.") % {
            "n": closed}


ARMS = MechanicArms()
