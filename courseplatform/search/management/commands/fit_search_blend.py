from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from courseplatform.search import services


class Command(BaseCommand):
    help = ("Fit the weight of the learner's personal score against text relevance on logged search sessions "
            "(the weight that ranks clicked results highest, by mean reciprocal rank).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Use searches from the last N days (default 90).")
        parser.add_argument("--min-sessions", type=int, default=services.MIN_SESSIONS)
        parser.add_argument("--dry-run", action="store_true", help="Report the fit without saving it.")

    def handle(self, *args, days, min_sessions, dry_run, **options):
        fitted = services.fit_blend_weight(since=timezone.now() - timedelta(days=days), min_sessions=min_sessions,
                                           save=not dry_run)
        if fitted is None:
            self.stdout.write(f"Fewer than {min_sessions} search sessions with a click and personal scores; "
                              f"the weight stays as it is.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"weight={fitted.weight:.2f} sessions={fitted.sessions} MRR relevance-only={fitted.mrr_text:.4f} "
            f"blended={fitted.mrr_blend:.4f}{' (dry run, not saved)' if dry_run else ''}"))
