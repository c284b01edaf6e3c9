from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.models import Category

from . import throttle
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


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed log-in attempts. Please wait 30 minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if throttle.is_locked_out(username, ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, ip)
            raise
        throttle.clear_failures(username, ip)
        return cleaned
