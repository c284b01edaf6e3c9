"""Demo data for development (``manage.py seed_demo``): a dev-only app in the composition root, the one place
besides settings and urls allowed to import every app. Installed by the dev and test settings, not production."""
