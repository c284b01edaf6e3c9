from django.core.management.base import BaseCommand

from courseplatform.search import services


class Command(BaseCommand):
    help = "Rebuild the search index (documents, vocabulary, the SQLite FTS table) from the catalogue."

    def handle(self, *args, **options):
        n = services.rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {n} courses."))
