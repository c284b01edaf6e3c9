import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courseplatform import hooks

from .models import Course, Currency, Review, Storefront
from .uploads import clean_logo
from .validators import parse_brand_colors, parse_keywords
from .widgets import LogoInput


def clean_text(value: str) -> str:
    """Drop control characters (keeps newlines/tabs) so they never reach pages or covers."""
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


class StorefrontForm(forms.ModelForm):
    brand_keywords_text = forms.CharField(
        label=_("Brand keywords"),
        required=False,
        max_length=400,
        help_text=_("Comma-separated, in English or Chinese, e.g. “tech, trust” or “科技, 成长”."),
    )
    logo = forms.FileField(
        label=_("Logo"), required=False, widget=LogoInput,
        help_text=_("PNG, JPEG or WebP, at most 5 MB and 4096×4096 pixels.")
    )
    brand_colors_text = forms.CharField(
        label=_("Brand colours"),
        required=False,
        max_length=80,
        help_text=_("Up to eight colours as #rrggbb, separated by commas, e.g. #1e88e5, #f9a825."),
    )

    class Meta:
        model = Storefront
        fields = ("name", "slug", "tagline", "logo")
        help_texts = {"slug": _("Letters, numbers and hyphens; your storefront lives at /s/your-address/.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["brand_keywords_text"].initial = ", ".join(self.instance.brand_keywords)
            self.fields["brand_colors_text"].initial = ", ".join(self.instance.brand_colors)

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_tagline(self):
        return clean_text(self.cleaned_data.get("tagline", ""))

    def clean_brand_keywords_text(self):
        return parse_keywords(self.cleaned_data.get("brand_keywords_text", ""))

    def clean_brand_colors_text(self):
        return parse_brand_colors(self.cleaned_data.get("brand_colors_text", ""))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return clean_logo(logo)
        return logo

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("name", "slug", "tagline")}
        data["brand_keywords"] = self.cleaned_data["brand_keywords_text"]
        data["brand_colors"] = self.cleaned_data["brand_colors_text"]
        if "logo" in self.changed_data:
            data["logo"] = self.cleaned_data.get("logo") or ""
        return data


class CourseForm(forms.ModelForm):
    tags_text = forms.CharField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Comma-separated, e.g. python, data.")
    )

    class Meta:
        model = Course
        fields = ("title", "subtitle", "description", "category", "level", "language", "price", "currency",
                  "published", "cover_layout")

    #: fields a plugin renders in its ``course_form_panels`` (the core's template leaves them out)
    plugin_field_names = ("cover_layout",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layouts = hooks.call_flat("cover_layouts")
        if layouts:
            self.fields["cover_layout"] = forms.ChoiceField(
                label=_("Cover layout"), required=False, widget=forms.RadioSelect,
                choices=[("", _("Storefront default")), *layouts])
        else:  # no plugin draws covers: nothing to pick
            del self.fields["cover_layout"]
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(self.instance.tags)
        self.fields["currency"].required = False  # not sent: the course keeps its currency (new ones: USD)

    def clean_currency(self):
        return self.cleaned_data.get("currency") or self.instance.currency or Currency.USD

    def clean_title(self):
        title = clean_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("The title cannot be empty."))
        return title

    def clean_subtitle(self):
        return clean_text(self.cleaned_data.get("subtitle", ""))

    def clean_tags_text(self):
        return parse_keywords(self.cleaned_data.get("tags_text", ""))

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.fields}
        data["tags"] = self.cleaned_data["tags_text"]
        return data


class ReviewForm(forms.Form):
    """A learner's rating and review of a course; ``review`` (their existing one, if any) fills it in, so
    reopening the course shows what they wrote and submitting updates it knowingly."""

    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)],
        error_messages={"required": _("Please choose a rating from 1 to 5 stars."),
                        "invalid_choice": _("Please choose a rating from 1 to 5 stars.")},
    )
    text = forms.CharField(label=_("Your review"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=Review._meta.get_field("text").max_length)

    def __init__(self, *args, review: Review | None = None, **kwargs):
        if review is not None:
            kwargs.setdefault("initial", {"rating": review.rating, "text": review.text})
        super().__init__(*args, **kwargs)
        self.review = review

    def clean_text(self):
        return clean_text(self.cleaned_data.get("text", ""))
