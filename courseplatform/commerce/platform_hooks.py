"""Commerce's contributions to core pages: links from a storefront's studio row to its sales, coupons and
statement."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courseplatform.hooks import Link, hookimpl


@hookimpl
def studio_links(storefront) -> list:
    return [Link(_("Sales"), reverse("commerce:sales", args=[storefront.slug])),
            Link(_("Coupons"), reverse("commerce:coupons", args=[storefront.slug])),
            Link(_("Statement"), reverse("commerce:statement", args=[storefront.slug]))]
