"""``manage.py evaluate_recommender``: thin wrapper around :mod:`recommender.engine.cli` (no database needed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Evaluate recommender models offline on a ratings/interactions file (see recommender.engine.cli)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        from recommender.engine.cli import add_arguments

        add_arguments(parser)

    def handle(self, *args, **options):
        from recommender.engine.cli import run

        rc = run(options, self.stdout, self.stderr)
        if rc:
            raise SystemExit(rc)
