"""Shared test fixtures: named personas of two institutions, and a real Chromium for browser tests.

Personas (STYLE.md): coordinator, supervisor, secretariat, evaluator, leader, admin, an OPD
operator (opd-bkpsdm), another OPD's operator (opd-dinkes), and a user of another institution.
"""

import os

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import Agency, Institution, Role
from monev.testing import make_user
from sops.services import SHIPPED_SOPS, load_sop_file


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file in this run's own temporary folder (one per
    xdist worker), not Django's shared-cache in-memory database: with a file, the live
    server's threads each get their own connection and wait for the write lock with the
    busy timeout, as in production. In memory they share one connection, or fail at once
    with "database table is locked", which no timeout helps."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test-monev.sqlite3")


@pytest.fixture
def institution(db):
    return Institution.objects.create(
        slug="pontianak",
        name="Pemerintah Kota Pontianak",
        city="Pontianak",
        letterhead="PEMERINTAH KOTA PONTIANAK\nDINAS KOMUNIKASI DAN INFORMATIKA",
    )


@pytest.fixture
def other_institution(db):
    return Institution.objects.create(
        slug="pangkalpinang", name="Pemerintah Kota Pangkalpinang", city="Pangkalpinang"
    )


@pytest.fixture
def agency(institution):
    return Agency.objects.create(
        institution=institution,
        name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        short_name="BKPSDM",
        functions=["sdm"],
    )


@pytest.fixture
def other_agency(institution):
    return Agency.objects.create(
        institution=institution,
        name="Dinas Kesehatan",
        short_name="Dinkes",
        functions=["pelayanan"],
    )


@pytest.fixture
def foreign_agency(other_institution):
    return Agency.objects.create(
        institution=other_institution, name="Dinas Kominfo Pangkalpinang", short_name="Diskominfo"
    )


@pytest.fixture
def coordinator(institution):
    return make_user(institution, "koordinator", Role.COORDINATOR, full_name="Rina Koordinator")


@pytest.fixture
def supervisor(institution):
    return make_user(institution, "kabid", Role.SUPERVISOR, full_name="Budi Kabid")


@pytest.fixture
def secretariat(institution):
    return make_user(institution, "sekretariat", Role.SECRETARIAT, full_name="Sari Sekretariat")


@pytest.fixture
def evaluator(institution):
    return make_user(institution, "evaluator", Role.EVALUATOR, full_name="Eko Evaluator")


@pytest.fixture
def leader(institution):
    return make_user(institution, "sekda", Role.LEADER, full_name="Sekretaris Daerah")


@pytest.fixture
def admin_user(institution):
    return make_user(institution, "admin", Role.ADMIN, full_name="Admin Diskominfo")


@pytest.fixture
def agency_user(agency):
    return make_user(
        agency.institution, "opd-bkpsdm", Role.AGENCY, agency=agency, full_name="Operator BKPSDM"
    )


@pytest.fixture
def other_agency_user(other_agency):
    return make_user(
        other_agency.institution,
        "opd-dinkes",
        Role.AGENCY,
        agency=other_agency,
        full_name="Operator Dinkes",
    )


@pytest.fixture
def outsider(other_institution):
    return make_user(
        other_institution, "pkp-koordinator", Role.COORDINATOR, Role.ADMIN, full_name="Orang Luar"
    )


@pytest.fixture
def framework(db):
    """The shipped frameworks loaded; returns the default (SPBE 2020)."""
    load_framework_files(shipped_framework_files())
    return Framework.objects.default()


@pytest.fixture
def sop(institution):
    """Kota Pontianak's shipped SOP, loaded for the `institution` persona's institution."""
    sop, _outcome = load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    return sop


# --- Browser tests -------------------------------------------------------------------------


def pytest_collection_modifyitems(items):
    # Every test that drives Chromium is a browser test, marked or not: CI runs them once
    # (on SQLite) and deselects them with `-m "not browser"` on PostgreSQL.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker("browser")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (which cannot download its own browsers here)."""
    from playwright.sync_api import sync_playwright

    from monev.browser import launch_chromium

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (outside that loop's callbacks) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request's language stays active in its
    thread afterwards (LanguageMiddleware, as Django's), which would leak into the next test."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
