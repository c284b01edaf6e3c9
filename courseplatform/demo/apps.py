from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "courseplatform.demo"
    label = "demo"
    verbose_name = "Demo data"
