"""Server-rendered section forms, built from the fields a section plugin declares.

Scalar fields become one form field each; a ``list`` field becomes numbered rows (``items-0-question``…),
with two blank rows to add more. The form only shapes the POST into the section's data; validation is
the plugin's ``clean`` (called by the service), whose errors are put back on the form.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.models import Course

from .models import LANGUAGE_KEY

SPARE_ROWS = 2


class SectionForm(forms.Form):
    def __init__(self, plugin, storefront, *args, section_data: dict | None = None, **kwargs):
        self.plugin = plugin
        section_data = section_data or {}
        super().__init__(*args, **kwargs)
        course_choices = [(c.pk, c.title) for c in storefront.courses.order_by("title").only("pk", "title")] \
            if any(getattr(f, "kind", "") == "course_ids" for f in plugin.fields) else []
        self.layout = []
        for field in plugin.fields:
            if field.kind == "list":
                self._add_rows(field, section_data.get(field.name) or [])
                continue
            form_field = field.formfield(course_choices=course_choices)
            form_field.required = False  # the plugin's clean() decides, with its defaults
            form_field.initial = section_data.get(field.name, field.default)
            self.fields[field.name] = form_field
            self.layout.append(("field", field.name))
        self.fields[LANGUAGE_KEY] = forms.ChoiceField(
            label=_("Written in"), required=False, initial=section_data.get(LANGUAGE_KEY, ""),
            choices=[("", _("Not specified"))] + [c for c in Course.Language.choices if c[0] != "other"],
            help_text=_("Label the section with its language so browsers and readers handle it correctly."))
        self.layout.append(("field", LANGUAGE_KEY))

    def _add_rows(self, field, items: list[dict]) -> None:
        count_name = f"{field.name}-rows"
        rows = len(items) + SPARE_ROWS
        if self.is_bound:
            try:
                rows = int(self.data.get(count_name, rows))
            except (TypeError, ValueError):
                rows = len(items)
        rows = max(0, min(rows, field.max_items))
        self.fields[count_name] = forms.IntegerField(widget=forms.HiddenInput, initial=rows, required=False)
        names = []
        for i in range(rows):
            row = []
            for sub in field.item_fields:
                name = f"{field.name}-{i}-{sub.name}"
                form_field = sub.formfield()
                form_field.required = False
                form_field.initial = items[i].get(sub.name, "") if i < len(items) else ""
                self.fields[name] = form_field
                row.append(name)
            names.append(row)
        self.layout.append(("list", field.name, field.label, names, count_name))

    def section_data(self) -> dict:
        """The POST as the section's data shape (call after ``is_valid()``)."""
        data = {}
        for field in self.plugin.fields:
            if field.kind != "list":
                value = self.cleaned_data.get(field.name)
                if field.kind in ("int", "choice") and value in (None, ""):
                    value = None  # the plugin's default
                data[field.name] = value
                continue
            rows = []
            for i in range(self.cleaned_data.get(f"{field.name}-rows") or 0):
                row = {sub.name: (self.cleaned_data.get(f"{field.name}-{i}-{sub.name}") or "")
                       for sub in field.item_fields}
                if any(str(v).strip() for v in row.values()):
                    rows.append(row)
            data[field.name] = rows
        data[LANGUAGE_KEY] = self.cleaned_data.get(LANGUAGE_KEY) or ""
        return data

    def apply_errors(self, error: ValidationError) -> None:
        """Put the plugin's field errors on the matching form fields (list errors above the rows)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            if name in self.fields:
                self.add_error(name, messages)
            else:
                self.add_error(None, [f"{self._label(name)}: {m}" for m in messages])

    def _label(self, name: str) -> str:
        for field in self.plugin.fields:
            if field.name == name:
                return str(field.label)
        return str(_("Section"))

    def rendered_layout(self):
        for entry in self.layout:
            if entry[0] == "field":
                yield {"kind": "field", "field": self[entry[1]]}
            else:
                yield {"kind": "list", "name": entry[1], "label": entry[2],
                       "rows": [[self[n] for n in row] for row in entry[3]], "count": self[entry[4]]}
