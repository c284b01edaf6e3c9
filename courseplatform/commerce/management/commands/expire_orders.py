from django.core.management.base import BaseCommand

from courseplatform.commerce.services import orders_expire


class Command(BaseCommand):
    help = "Expire pending orders past COMMERCE_ORDER_TTL_MINUTES (their coupon uses are given back)."

    def handle(self, *args, **options):
        self.stdout.write(f"{orders_expire()} pending orders expired")
