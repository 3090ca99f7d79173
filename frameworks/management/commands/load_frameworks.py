from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from frameworks.scoring import FrameworkError
from frameworks.services import load_framework_files, shipped_framework_files


class Command(BaseCommand):
    help = _(
        "Memuat berkas kerangka evaluasi (format monev-framework/1). Tanpa argumen: semua "
        "berkas di frameworks/data/. Berkas yang salah tidak mengubah apa pun."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")

    def handle(self, *args, files, **options):
        paths = files or shipped_framework_files()
        try:
            loaded = load_framework_files(paths)
        except FrameworkError as error:
            raise CommandError(str(error)) from None
        for path, (framework, outcome) in zip(paths, loaded, strict=True):
            self.stdout.write(
                _("%(file)s: %(code)s versi %(version)s %(outcome)s.")
                % {
                    "file": path,
                    "code": framework.code,
                    "version": framework.version,
                    "outcome": outcome.label,
                }
            )
