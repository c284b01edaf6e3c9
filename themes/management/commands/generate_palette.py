"""``python manage.py generate_palette`` — the palette engine's command line inside Django (same flags)."""

import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Generate brand palettes: prints a table (truecolour swatches when supported) and writes JSON."

    def add_arguments(self, parser):
        from themes.palette.cli import add_arguments

        add_arguments(parser)

    def handle(self, *args, **options):
        from themes.palette.cli import run

        code = run(options, self.stdout, sys.stderr)
        if code:
            raise CommandError("palette generation failed; see the message above", returncode=code)
