from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Metric


class ExperimentForm(forms.Form):
    """A new experiment: which arms (of one kind, from the plugins' arm kinds), how traffic is split, and the
    fixed-horizon design. An arm's value is ``"<kind>:<arm>"``."""

    name = forms.CharField(label=_("Name"), max_length=120)
    arms = forms.MultipleChoiceField(label=_("Palettes to compare"), widget=forms.CheckboxSelectMultiple,
                                     help_text=_("Approved or active palettes only. The active palette, if chosen, is the control (A)."))
    shares = forms.CharField(label=_("Traffic split (%)"), required=False, max_length=100,
                             help_text=_("e.g. “50, 50”; leave empty for an even split."))
    primary_metric = forms.ChoiceField(label=_("Decide on"), choices=Metric.choices, initial=Metric.ENROLL)
    baseline_rate = forms.FloatField(label=_("Current rate (%)"), min_value=0.01, max_value=99.0, initial=5.0,
                                     help_text=_("Today's click-through or enrolment rate, in per cent."))
    minimum_detectable_effect = forms.FloatField(
        label=_("Smallest lift worth detecting (percentage points)"), min_value=0.01, max_value=50.0, initial=2.0,
        help_text=_("The planned sample is what it takes to detect this lift 80 percent of the time at "
                    "5 percent significance."))

    def __init__(self, *args, arms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arms"].choices = list(arms)

    def clean_arms(self):
        values = self.cleaned_data["arms"]
        kinds = {value.split(":", 1)[0] for value in values}
        if len(kinds) > 1:
            raise ValidationError(_("Compare variants of one kind."))
        order = [value for value, _label in self.fields["arms"].choices]  # the kind's order: control first
        return sorted(values, key=order.index)

    def clean_shares(self):
        raw = self.cleaned_data.get("shares", "").replace("%", "").replace("，", ",")
        if not raw.strip():
            return None
        try:
            values = [float(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise ValidationError(_("Write the shares as numbers separated by commas.")) from None
        shares = [v / 100 for v in values]
        # the service's own check, run here too so that its message sits beside the field (NaN and infinite
        # shares fail it as well)
        services.check_shares(shares)
        return shares

    def clean(self):
        data = super().clean()
        shares, arms = data.get("shares"), data.get("arms")
        if shares and arms is not None and len(shares) != len(arms):
            self.add_error("shares", _("Give one share per chosen palette."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kind = d["arms"][0].split(":", 1)[0] if d["arms"] else ""
        return {"name": d["name"], "kind": kind, "arms": [value.split(":", 1)[1] for value in d["arms"]],
                "shares": d["shares"],
                "primary_metric": d["primary_metric"], "baseline_rate": d["baseline_rate"] / 100,
                "minimum_detectable_effect": d["minimum_detectable_effect"] / 100}
