import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from demo import builder as demo
from institutions.models import Institution


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo once per test module (it runs last year's whole cycle, with PDFs);
    each test still runs in its own transaction, rolled back after it."""
    media = tmp_path_factory.mktemp("demo-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as the autouse fixture
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        assert demo.build() is True
        yield media
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def finished(demo_database, db, settings):
    """The demo's finished cycle: last year's of Kota Pontianak, all 8 SOP steps done."""
    settings.MEDIA_ROOT = demo_database
    institution = Institution.objects.get(slug="pontianak")
    return institution.cycles.get(year=timezone.localdate().year - 1)
