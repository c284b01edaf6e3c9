"""Template helpers for the catalogue: localised course prices.

Prices are stored in one currency, US dollars (``Course.price``, two decimal places). ``{{ course.price|price }}``
formats the amount with the active language's number formatting (decimal and thousands separators, grouping)
inside a translatable currency pattern — "$1,234.50" in English, "US$1234.50" in Chinese, where "$" alone would
not say which dollar — and says "Free" (translated) for a price of 0.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.filter
def price(value) -> str:
    """A course price for display in the active language; ``""`` for a missing or non-numeric value."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if amount == 0:
        return gettext("Free")
    formatted = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    # Translators: a price in US dollars; %(amount)s is the number, already formatted for the language.
    return pgettext("price in US dollars", "$%(amount)s") % {"amount": formatted}
