from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.forms import clean_text
from courseplatform.catalog.models import Category, Course
from courseplatform.catalog.validators import normalise_hex, parse_keywords

from .brief_feedback import DEFAULTS as ENGINE_DEFAULT_WEIGHTS
from .plugins import COVER_LAYOUTS
from .selectors import default_weights, storefront_category_slug

ROLE_CHOICES = [("", _("any role")), ("primary", _("primary")), ("secondary", _("secondary")),
                ("accent", _("accent")), ("background", _("background"))]


class Slider(forms.NumberInput):
    input_type = "range"


#: brand colours a brief may carry (the engine's ``MAX_SEEDS``: it picks the best K of them for the palette)
MAX_BRIEF_COLOURS = 8
#: Roles that share another's colour below six colours (the engine's ``themes.palette.roles``, which the web
#: process does not import: it loads torch): a lock there is refused before a job is queued, with the creator's
#: own words, instead of failing the job.
_MERGED_BELOW = {"secondary": 6, "accent": 5}


def _free_brand_roles(k: int) -> int:
    """How many chromatic roles K colours have (primary, secondary, accents): where an unassigned lock goes."""
    return k - 3 if k >= 6 else (2 if k == 5 else 1)


class PaletteBriefForm(forms.Form):
    """The creator's brand brief: up to :data:`MAX_BRIEF_COLOURS` brand colours (``color_<i>``, each with
    ``lock_<i>`` and ``role_<i>``), keywords, K and the weights. α, β, γ start from
    ``selectors.default_weights`` (fitted from finished A/B tests; the engine's 1, 1, 1 until there are any)."""

    keywords = forms.CharField(label=_("Brand keywords"), required=False, max_length=300,
                               help_text=_("e.g. “tech, trust” or “科技, 成长, 专业”"))
    k = forms.IntegerField(label=_("Number of colours"), min_value=3, max_value=10, initial=6)
    alpha = forms.FloatField(label=_("Harmony"), min_value=0, max_value=3, initial=ENGINE_DEFAULT_WEIGHTS[0],
                             widget=Slider(attrs={"step": "0.1", "min": "0", "max": "3"}),
                             help_text=_("How well the colours go together."))
    beta = forms.FloatField(label=_("Legibility"), min_value=0, max_value=3, initial=ENGINE_DEFAULT_WEIGHTS[1],
                            widget=Slider(attrs={"step": "0.1", "min": "0", "max": "3"}),
                            help_text=_("How easy text is to read and colours are to tell apart."))
    gamma = forms.FloatField(label=_("On-brand"), min_value=0, max_value=3, initial=ENGINE_DEFAULT_WEIGHTS[2],
                             widget=Slider(attrs={"step": "0.1", "min": "0", "max": "3"}),
                             help_text=_("How close the palette stays to your colours and keywords."))
    candidates = forms.IntegerField(label=_("Candidates"), min_value=1, max_value=10, initial=5)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = {}
        for i in range(1, MAX_BRIEF_COLOURS + 1):  # the colour rows come first, in order
            rows[f"color_{i}"] = forms.CharField(
                label=format_lazy(_("Brand colour {n}"), n=i), required=False, max_length=20,
                widget=forms.TextInput(attrs={"placeholder": "#1e88e5", "autocomplete": "off"}))
            rows[f"lock_{i}"] = forms.BooleanField(label=_("keep exactly"), required=False)
            rows[f"role_{i}"] = forms.ChoiceField(label=_("as"), choices=ROLE_CHOICES, required=False)
        self.fields = {**rows, **self.fields}

    def colour_rows(self) -> list[tuple]:
        """(colour, lock, role) bound fields per brand-colour row, for the template."""
        return [(self[f"color_{i}"], self[f"lock_{i}"], self[f"role_{i}"]) for i in range(1, MAX_BRIEF_COLOURS + 1)]

    def other_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(("color_", "lock_", "role_"))]

    def clean(self):
        data = super().clean()
        colors, locks = [], []
        for i in range(1, MAX_BRIEF_COLOURS + 1):
            raw = (data.get(f"color_{i}") or "").strip()
            if not raw:
                continue
            try:
                value = normalise_hex(raw)
            except ValidationError as error:
                self.add_error(f"color_{i}", error)
                continue
            if value in colors:
                self.add_error(f"color_{i}", ValidationError(_("This colour is already in the brief."),
                                                             code="duplicate_color"))
                continue
            colors.append(value)
            if data.get(f"lock_{i}"):
                locks.append([value, data.get(f"role_{i}") or None, i])
        for i in range(1, MAX_BRIEF_COLOURS + 1):  # a role belongs to "keep exactly": unticked, it is not used
            if data.get(f"lock_{i}") and not (data.get(f"color_{i}") or "").strip() and f"color_{i}" not in self.errors:
                self.add_error(f"color_{i}", ValidationError(
                    _("Enter the colour to keep exactly, or untick “keep exactly”."), code="lock_without_color"))
        try:
            data["keywords_list"] = parse_keywords(data.get("keywords", ""))
        except ValidationError as error:
            self.add_error("keywords", error)
        else:
            if not colors and not data["keywords_list"] and not self.errors:
                self.add_error(None, ValidationError(_("Give at least one brand colour or a brand keyword: the "
                                                       "palette is built from them."), code="empty_brief"))
        if all(data.get(w) == 0 for w in ("alpha", "beta", "gamma")):
            raise ValidationError(_("At least one of harmony, legibility and on-brand must be above zero."))
        if data.get("k") is not None:
            self._check_locks(locks, data["k"])
        data["colors"], data["locks"] = colors, [lock[:2] for lock in locks]
        return data

    def _check_locks(self, locks: list[list], k: int) -> None:
        """The engine's lock rules (``Brief.resolved_locks``), checked here so that the creator reads them on the
        form, in their language, instead of in a failed job."""
        taken: dict[str, int] = {}
        for _value, role, row in locks:
            if role is None:
                continue
            if k < _MERGED_BELOW.get(role, 0):
                self.add_error(f"role_{row}", ValidationError(
                    _("A palette of %(k)d colours has no separate %(role)s: raise the number of colours or "
                      "choose another role.") % {"k": k, "role": dict(ROLE_CHOICES)[role]}, code="merged_role"))
            elif role in taken:
                self.add_error(f"role_{row}", ValidationError(
                    _("Brand colour %(n)d already keeps this role: each role takes one colour.")
                    % {"n": taken[role]}, code="role_taken"))
            else:
                taken[role] = row
        if len(locks) > k:
            self.add_error("k", ValidationError(
                _("%(locks)d colours are kept exactly but a palette of %(k)d colours has only %(k)d roles: raise "
                  "the number of colours or keep fewer.") % {"locks": len(locks), "k": k}, code="too_many_locks"))
            return
        free = _free_brand_roles(k) - sum(1 for role in taken if role != "background")
        unassigned = sum(1 for lock in locks if lock[1] is None)
        if unassigned > max(free, 0):
            self.add_error("k", ValidationError(
                _("Colours kept exactly without a role: %(n)d; brand roles left for them: %(free)d. Give them roles "
                  "or raise the number of colours.") % {"n": unassigned, "free": max(free, 0)},
                code="too_many_unassigned_locks"))

    def brief(self) -> dict:
        d = self.cleaned_data
        return {"brand_colors": d["colors"], "locks": d["locks"], "keywords": ", ".join(d["keywords_list"]),
                "k": d["k"], "alpha": d["alpha"], "beta": d["beta"], "gamma": d["gamma"],
                "candidates": d["candidates"], "seed": d["seed"]}

    @classmethod
    def initial_for(cls, storefront, suggested: list[str] | None = None) -> dict:
        """The storefront's brand colours and keywords, or ``suggested`` colours (from its logo, accepted by
        the creator with "Use these colours") in their place; the first colour is locked as the primary."""
        initial = {"keywords": ", ".join(storefront.brand_keywords)}
        colours = list(suggested or storefront.brand_colors)[:MAX_BRIEF_COLOURS]
        for i, color in enumerate(colours, start=1):
            initial[f"color_{i}"] = color
        if colours:
            initial["lock_1"], initial["role_1"] = True, "primary"
        # the feedback loop (themes.experiment_arms): α, β, γ fitted from finished palette A/B tests
        alpha, beta, gamma, source = default_weights(storefront_category_slug(storefront))
        initial.update(alpha=alpha, beta=beta, gamma=gamma, weights_source=source)
        return initial


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note to the creator"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CoverPreviewForm(forms.Form):
    """The live cover preview's query string (views.cover_live_preview): a registered layout, and the
    title and subtitle as typed into :class:`CourseForm`, limited and cleaned exactly as that form does, so
    the preview shows what saving would store. Nothing is saved."""

    layout = forms.CharField(label=_("Cover layout"), required=False, max_length=40)
    title = Course._meta.get_field("title").formfield(required=False)
    subtitle = Course._meta.get_field("subtitle").formfield(required=False)
    category = forms.ModelChoiceField(Category.objects.all(), required=False,
                                      label=capfirst(Course._meta.get_field("category").verbose_name))
    course = forms.IntegerField(label=capfirst(Course._meta.verbose_name), required=False, min_value=1,
                                max_value=2**31 - 1)

    def clean_layout(self):
        layout = self.cleaned_data["layout"]
        if layout not in COVER_LAYOUTS:
            raise ValidationError(_("Unknown cover layout."), code="unknown_layout")
        return layout

    def clean_title(self):
        return clean_text(self.cleaned_data.get("title", ""))

    def clean_subtitle(self):
        return clean_text(self.cleaned_data.get("subtitle", ""))
