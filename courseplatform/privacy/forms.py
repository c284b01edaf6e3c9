from django import forms
from django.utils.translation import gettext_lazy as _

from courseplatform.accounts.forms import password_confirmed

from . import consent
from .models import ReviewChoice


class ConsentForm(forms.Form):
    choice = forms.ChoiceField(label=_("Usage measurement"), widget=forms.RadioSelect, choices=[
        (consent.GRANTED, _("Allow: record what I look at and click to improve my recommendations")),
        (consent.DENIED, _("Decline: record only what I do (enrolments, purchases, progress)")),
    ])
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, max_length=4096,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    reviews = forms.ChoiceField(label=_("Your reviews"), widget=forms.RadioSelect, choices=ReviewChoice.choices,
                                initial=ReviewChoice.ANONYMISE)
    confirm = forms.BooleanField(label=_("I understand that my account and data are deleted for good."))

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_confirmed(self.user, password, self.request)  # under the log-in throttle
        return password
