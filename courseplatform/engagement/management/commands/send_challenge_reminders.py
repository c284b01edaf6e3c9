from django.core.management.base import BaseCommand

from courseplatform.engagement.reminders import challenge_reminders_send


class Command(BaseCommand):
    help = "Remind participants of challenges that end soon (once per challenge and learner)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{challenge_reminders_send()} reminder(s)")
