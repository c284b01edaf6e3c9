"""An account's e-mail address is never verified (sign-up takes any free address), so rows found only by that
address are not proof they belong to the account holder: the export must not hand them out (a stranger's
newsletter sign-ups and the mails sent to them, confirmation links included)."""

import io
import json
import re
import zipfile

from courseplatform.notifications.models import OutboxEmail
from courseplatform.pages import services as pages_services
from courseplatform.privacy import services
from courseplatform.privacy.models import DataExport
from tests.factories import StorefrontFactory, UserFactory


def _archive_text(user) -> str:
    export = services.export_build(DataExport.objects.create(user=user).pk)
    from courseplatform.learning.storage import private_storage

    with private_storage.open(export.file_name, "rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        return "\n".join(json.dumps(json.loads(z.read(n)), ensure_ascii=False) for n in z.namelist())


def test_an_account_claiming_a_strangers_address_exports_none_of_their_mail(django_capture_on_commit_callbacks):
    shop = StorefrontFactory()
    with django_capture_on_commit_callbacks():
        pages_services.newsletter_signup(storefront=shop, email="victim@example.org")
    mail = OutboxEmail.objects.get(to_email="victim@example.org")
    confirm_link = re.search(r"/newsletter/confirm/[^/\s]+/", mail.text_body) or re.search(r"https?://\S+", mail.text_body)
    assert confirm_link
    attacker = UserFactory(email="Victim@example.org")  # sign-up never checks the address is theirs

    text = _archive_text(attacker)

    assert mail.text_body[:40] not in text and confirm_link.group(0) not in text
    assert "newslettersignup" not in text and "newsletter_confirm" not in text

