"""Commerce's periodic work: pending orders past their time expire and give their coupon uses back."""

from celery import shared_task

from . import services


@shared_task(name="commerce.expire_orders", ignore_result=True)
def expire_orders() -> int:
    return services.orders_expire()
