from django.core.management.base import BaseCommand

from demo import builder as demo


class Command(BaseCommand):
    help = "Load the demo institutions (Kota Pontianak, Kota Pangkalpinang) and print accounts."

    def handle(self, *args, **options):
        created = demo.build()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
        self.stdout.write(f"\nDemo accounts (password for all: {demo.DEMO_PASSWORD}):")
        for username, who in demo.accounts():
            self.stdout.write(f"  {username:<32} {who}")
        self.stdout.write("")
