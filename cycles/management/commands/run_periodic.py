import time

from django.core.management.base import BaseCommand

from cycles.tasks import send_step_reminders


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (SOP step reminders). Run it from cron every 15 minutes, "
        "or keep it running with --loop SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="repeat every SECONDS")

    def handle(self, *args, loop, **options):
        while True:
            result = send_step_reminders.enqueue()
            self.stdout.write(f"send_step_reminders: {result.status}")
            if not loop:
                return
            time.sleep(loop)
