from django.core.management.base import BaseCommand

from themes.experiment_arms import weights_refit


class Command(BaseCommand):
    help = "Refit the palette brief's default α, β, γ from every finished palette A/B test."

    def handle(self, *args, **options):
        for row in weights_refit():
            where = row.category.slug if row.category_id else "global"
            self.stdout.write(f"{where}: α={row.alpha} β={row.beta} γ={row.gamma} "
                              f"({row.n_experiments} experiments)")
