from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Challenge, GoalKind, RewardOffer
from .services import MAX_OPTIONS


class _StorefrontCourseMixin:
    def _limit_courses(self, storefront) -> None:
        field = self.fields["course"]
        field.queryset = storefront.courses.order_by("title") if storefront else field.queryset.none()
        field.required = False


class PollForm(_StorefrontCourseMixin, forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    options = forms.CharField(label=_("Answers"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                              help_text=_("One answer per line, 2 to 8 answers."))
    course = forms.ModelChoiceField(label=_("Course page"), queryset=None, required=False,
                                    empty_label=_("Storefront page only"),
                                    help_text=_("Also shown on this course's page."))

    def __init__(self, *args, storefront=None, **kwargs):
        from courseplatform.catalog.models import Course

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.none()
        self._limit_courses(storefront)

    def clean_options(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
        lines = list(dict.fromkeys(lines))
        if not 2 <= len(lines) <= MAX_OPTIONS:
            raise forms.ValidationError(_("Give between 2 and %(n)d different answers.") % {"n": MAX_OPTIONS})
        if any(len(line) > 120 for line in lines):
            raise forms.ValidationError(_("Each answer is at most 120 characters."))
        return lines


class ChallengeForm(_StorefrontCourseMixin, forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ("title", "description", "goal", "course", "target", "ends_at", "points", "max_participants")
        widgets = {"ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, storefront=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_courses(storefront)
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if not self.is_bound:
            self.initial.setdefault("ends_at", (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("goal") == GoalKind.COURSE and not cleaned.get("course"):
            self.add_error("course", _("Choose the course to complete."))
        ends_at = cleaned.get("ends_at")
        if ends_at and ends_at <= timezone.now():
            self.add_error("ends_at", _("The deadline must be in the future."))
        return cleaned

    def _post_clean(self) -> None:
        """The badge is made by the service: skip the model's full_clean here (the service runs it)."""


class RewardOfferForm(_StorefrontCourseMixin, forms.ModelForm):
    class Meta:
        model = RewardOffer
        fields = ("title", "points_cost", "percent_off", "course", "valid_days")

    def __init__(self, *args, storefront=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_courses(storefront)
        self.fields["course"].empty_label = _("Every course")

    def _post_clean(self) -> None:
        """The storefront is set by the service, which runs the model's full_clean."""
