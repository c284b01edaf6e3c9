"""The settings page's form: one channel per registered kind, and the mail language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import kinds


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of my e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, channels: dict[str, str], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language
        for kind in kinds.all_kinds():
            self.fields[f"kind_{kind.key}"] = forms.ChoiceField(
                label=kind.label, choices=kind.channels(), initial=channels.get(kind.key, kind.default_channel),
                widget=forms.RadioSelect)

    def channels(self) -> dict[str, str]:
        return {name.removeprefix("kind_"): value for name, value in self.cleaned_data.items()
                if name.startswith("kind_")}
