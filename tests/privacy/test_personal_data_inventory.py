"""PERSONAL_DATA.md lists every table with a foreign key to the user or an e-mail address: a new one fails here
until it is listed with what account deletion does to it."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model

import courseplatform.privacy
from courseplatform.privacy.selectors import email_fields, user_foreign_keys

DOCUMENT = Path(courseplatform.privacy.__file__).parent / "PERSONAL_DATA.md"


def _listed() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+\.[a-z_]+(?:\.[a-z_]+)?)` \|", DOCUMENT.read_text(encoding="utf-8"), re.M))


def test_every_user_foreign_key_is_listed_with_what_deletion_does():
    missing = sorted(f"{f.model._meta.label_lower}.{f.name}" for f in user_foreign_keys()
                     if f"{f.model._meta.label_lower}.{f.name}" not in _listed())
    assert not missing, f"add these to {DOCUMENT.name} with what account deletion does to them: {missing}"


def test_every_email_field_is_listed_with_what_deletion_does():
    missing = sorted(f"{f.model._meta.label_lower}.{f.name}" for f in email_fields()
                     if f"{f.model._meta.label_lower}.{f.name}" not in _listed())
    assert not missing, f"add these addresses to {DOCUMENT.name} with what account deletion does: {missing}"


def test_the_user_table_itself_is_listed():
    assert get_user_model()._meta.label_lower in _listed()


def test_the_inventory_notices_a_new_table():
    """The check above is not vacuous: a model it has not seen is reported."""
    from django.db import models

    class Diary(models.Model):  # noqa: DJ008
        owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    try:
        names = {f"{f.model._meta.label_lower}.{f.name}" for f in user_foreign_keys()}
        assert "privacy.diary.owner" in names and "privacy.diary.owner" not in _listed()
    finally:
        from django.apps import apps

        del apps.all_models["privacy"]["diary"]
        apps.clear_cache()
