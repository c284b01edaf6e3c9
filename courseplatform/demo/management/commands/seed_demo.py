from django.apps import apps
from django.core.management.base import BaseCommand
from tqdm import tqdm

from courseplatform.catalog.models import Course, Storefront
from courseplatform.demo.data import CREATORS, PASSWORD
from courseplatform.demo.steps import seed_demo

PLUGIN_APPS = ("themes", "recommender")


class Command(BaseCommand):
    help = "Create deterministic demo data (creators, storefronts, ~200 courses, ~1,000 learners, history)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--courses", type=int, default=200)
        parser.add_argument("--learners", type=int, default=1000)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when courses already exist")
        parser.add_argument("--no-themes", action="store_true",
                            help="skip palettes and the first recommender training")

    def handle(self, *args, **options):
        if options["if_empty"] and Course.objects.exists():
            self.stdout.write("Demo data present; nothing to do.")
            return
        bars: list[tqdm] = []

        def progress(label, total):
            for old in bars:
                old.close()
            bar = tqdm(total=total, desc=label, unit="", disable=options["verbosity"] == 0)
            bars.append(bar)
            return bar.update

        summary = seed_demo(seed=options["seed"], n_courses=options["courses"], n_learners=options["learners"],
                            progress=progress)
        if not options["no_themes"] and all(apps.is_installed(app) for app in PLUGIN_APPS):
            # the plugins' steps import their models, which exist only where the plugins are installed
            from courseplatform.demo.plugin_steps import queue_first_training, seed_palettes

            themed = seed_palettes(progress=progress("palettes", Storefront.objects.count()))
            if queue_first_training():
                self.stdout.write("Queued the first recommender trainings (default model, item-kNN) on the gpu queue.")
            self.stdout.write(f"Activated {themed} demo palettes (covers re-render on the default queue).")
        for bar in bars:
            bar.close()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {summary.users} users, {summary.courses} courses, {summary.enrollments} enrolments, "
            f"{summary.interactions} interactions."))
        self.stdout.write(f"Log in with password {PASSWORD!r} as: admin (staff), {CREATORS[0][0]} (creator), "
                          "learner1 (learner).")
