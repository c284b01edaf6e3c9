import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courseplatform.catalog.models import Category

from . import throttle
from .client import client_ip
from .models import User


class SignUpForm(UserCreationForm):
    role = forms.ChoiceField(
        label=_("I want to"),
        choices=[(User.Role.LEARNER, _("Learn")), (User.Role.CREATOR, _("Teach and sell courses"))],
        widget=forms.RadioSelect,
        initial=User.Role.LEARNER,
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Topics you are interested in"),
        queryset=Category.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We use these to recommend courses before you have taken any."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."), code="duplicate")
        return email


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed log-in attempts from this device. Please wait %(wait)s and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        wait = throttle.seconds_to_wait(username, ip)
        try:
            cleaned = super().clean()  # the password is hashed on every attempt, backing off or not
        except forms.ValidationError:
            throttle.record_failure(username, ip)
            if wait:
                raise self._locked(wait) from None
            raise
        if wait:  # the same answer as a wrong password while backing off: a guess learns nothing
            raise self._locked(wait)
        throttle.clear_failures(username, ip)
        return cleaned

    def _locked(self, wait: float) -> forms.ValidationError:
        return locked_error(wait, self.error_messages["locked"])


def locked_error(wait: float, message=ThrottledAuthenticationForm.error_messages["locked"]) -> forms.ValidationError:
    """The back-off answer: wait ``wait`` seconds (shown in whole minutes)."""
    minutes = max(1, math.ceil(wait / 60))
    text = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return forms.ValidationError(message, code="locked", params={"wait": text})


def password_confirmed(user, password: str, request) -> None:
    """Check ``user``'s password for a sensitive action (deleting the account) under the log-in throttle: the
    same per (username, client) back-off, so a stolen session cannot guess the password there either. Raises
    ``ValidationError`` for a wrong password or while backing off; the password is hashed on every attempt."""
    username, ip = user.get_username(), client_ip(request)
    wait = throttle.seconds_to_wait(username, ip)
    correct = user.check_password(password)
    if not correct:
        throttle.record_failure(username, ip)
    if wait:
        raise locked_error(wait)
    if not correct:
        raise forms.ValidationError(_("That is not your password."), code="password_incorrect")
    throttle.clear_failures(username, ip)
