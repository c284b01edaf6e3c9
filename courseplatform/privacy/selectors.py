"""Reads: a person's data for their export, their exports, what deletion will keep."""

from collections.abc import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

from courseplatform.catalog.models import Course, Storefront
from courseplatform.commerce.models import Order, Payment
from courseplatform.hooks import call

from .models import DataExport, ExportStatus

#: fields never exported (secrets, not data about the person)
SECRET_FIELDS = {"password"}
#: payment fields that identify the payer (blanked when the account is erased; orders are kept)
PAYMENT_PERSONAL_FIELDS = ("billing_first_name", "billing_last_name", "billing_address_1", "billing_address_2",
                           "billing_city", "billing_postcode", "billing_country_code", "billing_country_area",
                           "billing_email", "customer_ip_address", "extra_data", "message")


def user_foreign_keys() -> list[models.ForeignKey]:
    """Every foreign key (and one-to-one) of an installed model that points at the user model."""
    user_model = get_user_model()
    return [field for model in apps.get_models() for field in model._meta.get_fields()
            if isinstance(field, models.ForeignKey) and field.remote_field.model is user_model
            and not field.auto_created]


def email_fields() -> list[models.EmailField]:
    """Every e-mail field of an installed model other than the user's own (addresses kept without a foreign
    key: newsletter sign-ups, the outbox)."""
    user_model = get_user_model()
    return [field for model in apps.get_models() if model is not user_model
            for field in model._meta.concrete_fields if isinstance(field, models.EmailField)]


def erasable_email_fields() -> list[models.EmailField]:
    """:func:`email_fields` whose rows go with the person (payments are kept with their orders, blanked)."""
    return [field for field in email_fields() if field.model is not Payment]


def rows_by_email(field: models.EmailField, email: str) -> models.QuerySet:
    return field.model._default_manager.filter(**{f"{field.name}__iexact": email})


def _rows(queryset) -> list[dict]:
    names = [f.attname for f in queryset.model._meta.concrete_fields if f.name not in SECRET_FIELDS]
    return list(queryset.values(*names).order_by("pk"))


def personal_data_sections(user) -> Iterator[tuple[str, list[dict] | dict]]:
    """``(name, rows)`` for a person's export, one section at a time (the builder reports progress between
    them): the account, then every row of every table with a foreign key to them (``app_label.model.field``),
    payments of their orders, the courses of the storefronts they own, and what plugins add
    (``personal_data_export`` hook)."""
    user_model = get_user_model()
    profile = _rows(user_model.objects.filter(pk=user.pk))[0]
    profile["interests"] = list(user.interests.values_list("name", flat=True))
    yield "account", profile
    for field in sorted(user_foreign_keys(), key=lambda f: (f.model._meta.label_lower, f.name)):
        rows = _rows(field.model._default_manager.filter(**{field.name: user}))
        if rows:
            yield f"{field.model._meta.label_lower}.{field.name}", rows
    # Rows found only by the e-mail address are not exported: sign-up never verifies the address, so anyone
    # could claim a stranger's and download the mails (confirmation links) and sign-ups sent to it.
    yield "commerce.payment", _rows(Payment.objects.filter(order__learner=user))
    yield "catalog.course.owned", _rows(Course.objects.filter(storefront__owner=user))
    for section in call("personal_data_export", user=user):
        for name, rows in (section or {}).items():
            yield f"plugin.{name}", rows


def section_count(user) -> int:
    return 4 + len(user_foreign_keys())


def latest_export(user) -> DataExport | None:
    return DataExport.objects.filter(user=user).first()


def export_for_download(token, user) -> DataExport | None:
    """The ready export named by ``token`` if it belongs to ``user`` (anyone else: ``None``)."""
    return DataExport.objects.filter(token=token, user=user, status=ExportStatus.READY).first()


def exports_past_expiry(now) -> models.QuerySet:
    return DataExport.objects.filter(Q(status=ExportStatus.READY) & Q(expires_at__lte=now))


def deletion_summary(user) -> dict:
    """What deleting ``user`` will keep (shown on the confirmation page)."""
    sold = Storefront.objects.filter(owner=user).filter(
        Q(courses__orders__isnull=False) | Q(courses__enrollments__isnull=False)).distinct().count()
    return {
        "orders": Order.objects.filter(learner=user).count(),
        "reviews": user.reviews.count(),
        "storefronts": Storefront.objects.filter(owner=user).count(),
        "storefronts_kept": sold,
    }
