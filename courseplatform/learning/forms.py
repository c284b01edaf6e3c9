from django import forms
from django.utils.translation import gettext_lazy as _

from . import validators
from .models import Lesson, Section
from .widgets import PrivateFileInput


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title"]


class LessonForm(forms.ModelForm):
    """One form for every kind; the fields a kind does not use are left out (``fields_for``)."""

    KIND_FIELDS = {
        Lesson.Kind.TEXT: ["body"],
        Lesson.Kind.VIDEO: ["video", "captions", "video_url", "duration_s", "body"],
        Lesson.Kind.ATTACHMENT: ["attachment", "body"],
        Lesson.Kind.QUIZ: ["body", "pass_mark", "max_attempts"],
    }
    COMMON = ["title", "is_preview", "required", "drip_days", "drip_date"]

    video_url = forms.URLField(label=_("video address"), required=False, assume_scheme="https",
                               help_text=_("Instead of a file: an https address of the video."))

    class Meta:
        model = Lesson
        fields = ["title", "body", "video", "captions", "video_url", "duration_s", "attachment", "pass_mark",
                  "max_attempts", "is_preview", "required", "drip_days", "drip_date"]
        widgets = {"drip_date": forms.DateInput(attrs={"type": "date"}),
                   "body": forms.Textarea(attrs={"rows": 8}),
                   "video": PrivateFileInput(attrs={"accept": ".mp4,.m4v,.webm,.ogv"}),
                   "captions": PrivateFileInput(attrs={"accept": ".vtt,text/vtt"}),
                   "attachment": PrivateFileInput()}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = set(self.COMMON) | set(self.KIND_FIELDS[kind])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == Lesson.Kind.QUIZ:
            self.fields["body"].label = _("Instructions")

    def clean_video(self):
        upload = self.cleaned_data.get("video")
        if upload and hasattr(upload, "content_type"):  # a new upload (not the stored file)
            validators.validate_video(upload)
        return upload

    def clean_captions(self):
        upload = self.cleaned_data.get("captions")
        if upload and hasattr(upload, "content_type"):
            validators.validate_captions(upload)
        return upload

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):
            validators.validate_attachment(upload)
        return upload

    def clean_video_url(self):
        url = self.cleaned_data.get("video_url", "")
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Use an https:// address."))
        return url

    def clean(self):
        data = super().clean()
        if self.kind == Lesson.Kind.VIDEO and not self.errors:
            has_file = data.get("video") or (self.instance.pk and self.instance.video and data.get("video") is not False)
            if not has_file and not data.get("video_url"):
                raise forms.ValidationError(_("Upload a video or give its address."))
        if self.kind == Lesson.Kind.ATTACHMENT and not self.errors:
            if not data.get("attachment") and not (self.instance.pk and self.instance.attachment):
                raise forms.ValidationError(_("Choose a file to attach."))
        return data

    def service_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name in self.fields}
        for name in ("video", "captions", "attachment"):
            if name in data and data[name] is None:  # unchanged file input
                del data[name]
            elif name in data and data[name] is False:  # "clear" ticked
                data[name] = ""
        data["kind"] = self.kind
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    multiple = forms.BooleanField(label=_("Several answers may be correct"), required=False)
    choices = forms.CharField(
        label=_("Answers"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000,
        help_text=_("One answer per line; start each correct answer with an asterisk (*)."))
    explanation = forms.CharField(label=_("Explanation"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Shown after the learner submits."))

    def parsed_choices(self) -> list[tuple[str, bool]]:
        result = []
        for line in self.cleaned_data["choices"].splitlines():
            line = line.strip()
            if line.startswith("*"):
                result.append((line[1:].strip(), True))
            elif line:
                result.append((line, False))
        return result
