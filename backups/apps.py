from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backup and restore of the whole installation: every table and every stored file in
    one archive (see archive.py). No models of its own."""

    name = "backups"
    verbose_name = "Backups"
