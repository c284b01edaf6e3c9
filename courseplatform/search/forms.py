"""The search's parameters, validated at the edge (the page and the API share them): a bad value is a 400 with
a message, never a 500 or a silently ignored filter."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.models import Category, Course

SORTS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest")),
    ("rating", _("Highest rated")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
]
PRICES = [("", _("Any price")), ("free", _("Free")), ("paid", _("Paid"))]
RATINGS = [("", _("Any rating")), ("4", _("4 stars and up")), ("3", _("3 stars and up")),
           ("2", _("2 stars and up"))]
#: course length buckets (seconds): (value, label, at least, below)
DURATIONS = [("short", _("Under 2 hours"), 0, 2 * 3600), ("medium", _("2 to 6 hours"), 2 * 3600, 6 * 3600),
             ("long", _("Over 6 hours"), 6 * 3600, None)]
MAX_PAGE = 500
#: the parameters kept in a results page's links (``page`` is added per link)
STATE_FIELDS = ("q", "category", "language", "level", "price", "min_price", "max_price", "rating", "duration",
                "sort")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.SlugField(label=_("Category"), max_length=50, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any language")), *Course.Language.choices])
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Any level")), *Course.Level.choices])
    price = forms.ChoiceField(label=_("Price"), required=False, choices=PRICES)
    min_price = forms.DecimalField(label=_("Minimum price"), required=False, min_value=Decimal("0"),
                                   max_value=Decimal("99999"), decimal_places=2, max_digits=7)
    max_price = forms.DecimalField(label=_("Maximum price"), required=False, min_value=Decimal("0"),
                                   max_value=Decimal("99999"), decimal_places=2, max_digits=7)
    rating = forms.TypedChoiceField(label=_("Rating"), required=False, choices=RATINGS, coerce=int,
                                    empty_value=None)
    duration = forms.ChoiceField(label=_("Length"), required=False,
                                 choices=[("", _("Any length")), *[(v, label) for v, label, _lo, _hi in DURATIONS]])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def clean_category(self) -> str:
        slug = self.cleaned_data["category"]
        if slug and not Category.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Unknown category."))
        return slug

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The maximum price must not be below the minimum price."))
        data["sort"] = data.get("sort") or "relevance"
        data["page"] = data.get("page") or 1
        return data

    def error_message(self) -> str:
        """All errors in one line ("field: message"), for a 400 answer."""
        return " ".join(f"{self.fields[name].label if name in self.fields else name}: {message}"
                        for name, messages in self.errors.items() for message in messages)
