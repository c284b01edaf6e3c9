"""The core signals that notify someone (each sent on commit; each notification keyed, so a signal sent twice
tells once). Links are stored without a language prefix: the reader's language applies when they follow one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation

from courseplatform.catalog.models import Course
from courseplatform.hooks.signals import (
    certificate_issued,
    course_published,
    job_failed,
    order_paid,
    palette_reviewed,
    user_signed_up,
)

from . import kinds, selectors
from .services import mail_language_default, notify


def _path(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


@receiver(palette_reviewed, dispatch_uid="notifications.palette_reviewed")
def on_palette_reviewed(sender, creator, storefront, palette_id, approved, note="", url="", **kwargs) -> None:
    decision = "approved" if approved else "rejected"
    notify(creator, kinds.PALETTE_REVIEWED, key=f"palette:{palette_id}:{decision}",
           params={"storefront": storefront.name, "approved": bool(approved), "note": note or ""}, url=url)


@receiver(job_failed, dispatch_uid="notifications.job_failed")
def on_job_failed(sender, job, **kwargs) -> None:
    user_id = getattr(job, "requested_by_id", None)
    if user_id is None:
        return  # a system job (training, batches): staff watch those on their pages
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return
    url = job.get_absolute_url() if hasattr(job, "get_absolute_url") else ""
    notify(user, kinds.JOB_FAILED, key=f"{job._meta.label_lower}:{job.pk}",
           params={"model": job._meta.label_lower, "reason": (job.reason or "")[:300]}, url=url)


@receiver(course_published, dispatch_uid="notifications.course_published")
def on_course_published(sender, course, **kwargs) -> None:
    if not Course.objects.published().filter(pk=course.pk).exists():
        return  # moderators hid it (or its storefront): nobody may see it, so nobody is told
    creator = course.storefront.owner
    users = get_user_model().objects.filter(pk__in=selectors.follower_ids(creator))
    url = _path("catalog:course", course.pk)
    for user in users:
        notify(user, kinds.NEW_COURSE, key=f"course:{course.pk}",
               params={"creator": str(creator), "course": course.title}, url=url)


@receiver(certificate_issued, dispatch_uid="notifications.certificate_issued")
def on_certificate_issued(sender, learner, course, certificate, **kwargs) -> None:
    notify(learner, kinds.CERTIFICATE_EARNED, key=f"certificate:{certificate.pk}",
           params={"course": certificate.course_title}, url=_path("learning:certificate", certificate.uuid))


@receiver(order_paid, dispatch_uid="notifications.order_paid")
def on_order_paid(sender, order, **kwargs) -> None:
    notify(order.learner, kinds.ORDER_RECEIPT, key=f"order:{order.pk}",
           params={"course": order.course.title, "number": str(order.number)},
           url=_path("commerce:receipt", order.number))


@receiver(user_signed_up, dispatch_uid="notifications.user_signed_up")
def on_user_signed_up(sender, user, language, **kwargs) -> None:
    mail_language_default(user=user, language=language)
