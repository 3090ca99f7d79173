from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set. It sits on top of every other app and nothing depends on it."""

    name = "demo"
    verbose_name = "Demo"
