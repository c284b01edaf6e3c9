import datetime as dt
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Coupon, StorefrontCommerce


def clean_text(value: str) -> str:
    """Control characters dropped (newlines and tabs kept), surrounding space trimmed."""
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


class CheckoutForm(forms.Form):
    """Only the coupon code comes from the learner: the price is the server's (any posted price is ignored)."""

    coupon = forms.CharField(label=_("Coupon code"), required=False, max_length=64)

    def clean_coupon(self):
        return clean_text(self.cleaned_data.get("coupon", ""))


class RefundRequestForm(forms.Form):
    reason = forms.CharField(label=_("Why? (optional)"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))

    def clean_reason(self):
        return clean_text(self.cleaned_data.get("reason", ""))


class CouponForm(forms.ModelForm):
    class Meta:
        model = Coupon
        fields = ("code", "course", "kind", "value", "currency", "starts_at", "ends_at", "max_redemptions",
                  "max_per_learner")
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, storefront=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = storefront.courses.order_by("title") if storefront else \
            self.fields["course"].queryset.none()
        self.fields["course"].empty_label = _("Every course")

    def service_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.Meta.fields}


class SellingSettingsForm(forms.ModelForm):
    class Meta:
        model = StorefrontCommerce
        fields = ("refund_window_days", "auto_refund_days")


class MonthForm(forms.Form):
    month = forms.CharField(required=False, max_length=7)

    def clean_month(self) -> tuple[int, int]:
        value = self.cleaned_data.get("month") or ""
        if not value:
            today = timezone.localdate()
            return today.year, today.month
        try:
            day = dt.datetime.strptime(value, "%Y-%m")
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return day.year, day.month
