from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.forms import clean_text
from courseplatform.catalog.models import Category, Course
from courseplatform.catalog.validators import normalise_hex, parse_keywords

from .plugins import COVER_LAYOUTS
from .selectors import default_weights, storefront_category_slug

ROLE_CHOICES = [("", _("any role")), ("primary", _("primary")), ("secondary", _("secondary")),
                ("accent", _("accent")), ("background", _("background"))]


class Slider(forms.NumberInput):
    input_type = "range"


class PaletteBriefForm(forms.Form):
    """The creator's brand brief. α, β, γ start from ``selectors.default_weights`` (fitted from
    finished A/B tests; the engine's 1, 1, 1 until there are any)."""

    color_1 = forms.CharField(label=_("Brand colour 1"), required=False, max_length=20)
    lock_1 = forms.BooleanField(label=_("keep exactly"), required=False)
    role_1 = forms.ChoiceField(label=_("as"), choices=ROLE_CHOICES, required=False)
    color_2 = forms.CharField(label=_("Brand colour 2"), required=False, max_length=20)
    lock_2 = forms.BooleanField(label=_("keep exactly"), required=False)
    role_2 = forms.ChoiceField(label=_("as"), choices=ROLE_CHOICES, required=False)
    color_3 = forms.CharField(label=_("Brand colour 3"), required=False, max_length=20)
    lock_3 = forms.BooleanField(label=_("keep exactly"), required=False)
    role_3 = forms.ChoiceField(label=_("as"), choices=ROLE_CHOICES, required=False)
    keywords = forms.CharField(label=_("Brand keywords"), required=False, max_length=300,
                               help_text=_("e.g. “tech, trust” or “科技, 成长, 专业”"))
    k = forms.IntegerField(label=_("Number of colours"), min_value=3, max_value=10, initial=6)
    alpha = forms.FloatField(label=_("Harmony"), min_value=0, max_value=3, initial=1.0,
                             widget=Slider(attrs={"step": "0.1", "min": "0", "max": "3"}),
                             help_text=_("How well the colours go together."))
    beta = forms.FloatField(label=_("Legibility"), min_value=0, max_value=3, initial=1.0,
                            widget=Slider(attrs={"step": "0.1", "min": "0", "max": "3"}),
                            help_text=_("How easy text is to read and colours are to tell apart."))
    gamma = forms.FloatField(label=_("On-brand"), min_value=0, max_value=3, initial=1.0,
                             widget=Slider(attrs={"step": "0.1", "min": "0", "max": "3"}),
                             help_text=_("How close the palette stays to your colours and keywords."))
    candidates = forms.IntegerField(label=_("Candidates"), min_value=1, max_value=10, initial=5)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=0)

    def clean(self):
        data = super().clean()
        colors, locks = [], []
        for i in (1, 2, 3):
            raw = (data.get(f"color_{i}") or "").strip()
            if not raw:
                continue
            try:
                value = normalise_hex(raw)
            except ValidationError as error:
                self.add_error(f"color_{i}", error)
                continue
            colors.append(value)
            if data.get(f"lock_{i}"):
                locks.append([value, data.get(f"role_{i}") or None])
        try:
            data["keywords_list"] = parse_keywords(data.get("keywords", ""))
        except ValidationError as error:
            self.add_error("keywords", error)
        if all(data.get(w) == 0 for w in ("alpha", "beta", "gamma")):
            raise ValidationError(_("At least one of harmony, legibility and on-brand must be above zero."))
        data["colors"], data["locks"] = colors, locks
        return data

    def brief(self) -> dict:
        d = self.cleaned_data
        return {"brand_colors": d["colors"], "locks": d["locks"], "keywords": ", ".join(d["keywords_list"]),
                "k": d["k"], "alpha": d["alpha"], "beta": d["beta"], "gamma": d["gamma"],
                "candidates": d["candidates"], "seed": d["seed"]}

    @classmethod
    def initial_for(cls, storefront) -> dict:
        initial = {"keywords": ", ".join(storefront.brand_keywords)}
        for i, color in enumerate(storefront.brand_colors[:3], start=1):
            initial[f"color_{i}"] = color
        if storefront.brand_colors:
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
