"""Form widgets of the catalogue forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LogoInput(forms.ClearableFileInput):
    """The logo upload shows the current logo as a thumbnail: its stored name is a random hash
    (uploads.clean_logo), which means nothing to the creator."""

    template_name = "catalog/widgets/logo_input.html"
    initial_text = _("Current logo")
    input_text = _("Replace with")
