from django.core.management.base import BaseCommand

from courseplatform.engagement.nudges import nudges_send


class Command(BaseCommand):
    help = ("Enter learners who stalled in a course of a storefront running a nudges experiment (once per stall) "
            "and remind those in its reminder arm.")

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{nudges_send()} learner(s) entered")
