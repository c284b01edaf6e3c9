from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, Reason
from .services import NOTE_MAX


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this?"), choices=Reason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything moderators should know (optional)"), required=False,
                           max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Only moderators read reports; the owner never learns who reported."))


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=Action.choices)
    note = forms.CharField(label=_("Note to the owner"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("The owner sees this note. Required to hide."))
