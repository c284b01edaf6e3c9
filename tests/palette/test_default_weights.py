"""One source of truth for the objective's default weights: the engine's ``DEFAULT_ALPHA/BETA/GAMMA``. The web
tier cannot import the engine (torch), so ``themes.brief_feedback.DEFAULTS`` restates them; the studio's brief
form, ``selectors.default_weights`` and the A/B feedback fit all read that copy, and these tests pin it equal."""

import pytest

from themes import brief_feedback
from themes.forms import PaletteBriefForm
from themes.palette import DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA, Brief
from themes.selectors import default_weights

ENGINE = (DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA)


def test_studio_copy_of_the_default_weights_equals_the_engines():
    assert brief_feedback.DEFAULTS == ENGINE
    brief = Brief()
    assert (brief.alpha, brief.beta, brief.gamma) == ENGINE


def test_brief_form_starts_from_the_engines_weights():
    fields = PaletteBriefForm.base_fields
    assert (fields["alpha"].initial, fields["beta"].initial, fields["gamma"].initial) == ENGINE


@pytest.mark.django_db
def test_without_fitted_weights_the_studio_offers_the_engines_and_says_so():
    alpha, beta, gamma, source = default_weights()
    assert (alpha, beta, gamma) == ENGINE
    assert f"({', '.join(f'{w:g}' for w in ENGINE)})" in str(source)


def test_feedback_fit_without_experiments_keeps_the_engines_weights():
    fit = brief_feedback.fit_weights([])
    assert (fit.alpha, fit.beta, fit.gamma) == ENGINE and fit.used_defaults
