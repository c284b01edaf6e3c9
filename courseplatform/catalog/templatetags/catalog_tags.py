"""Template helpers for the catalogue: localised course prices.

A course has a price and a currency (``Course.price``, ``Course.currency``: USD or CNY).
``{{ course.price|price:course.currency }}`` formats the amount with the active language's number formatting
(decimal and thousands separators, grouping) inside a translatable currency pattern — "$1,234.50" in English,
"US$1234.50" in Chinese, where "$" alone would not say which dollar; "CN¥99.00" in English, "99.00 元" in
Chinese — and says "Free" (translated) for a price of 0. Without a currency the amount is in US dollars.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.filter
def price(value, currency: str = "USD") -> str:
    """A price in ``currency`` for display in the active language; ``""`` for a missing or non-numeric value."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if amount == 0:
        return gettext("Free")
    formatted = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    if currency == "CNY":
        # Translators: a price in Chinese yuan (renminbi); %(amount)s is the number, formatted for the language.
        return pgettext("price in Chinese yuan", "CN¥%(amount)s") % {"amount": formatted}
    # Translators: a price in US dollars; %(amount)s is the number, already formatted for the language.
    return pgettext("price in US dollars", "$%(amount)s") % {"amount": formatted}
