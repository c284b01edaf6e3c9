from django.forms import ClearableFileInput


class PrivateFileInput(ClearableFileInput):
    """A file input that names the current file without linking it (lesson media have no public URL)."""

    template_name = "learning/widgets/private_file.html"

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None))  # Django's asks for its URL, which has none
