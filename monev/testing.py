"""Helpers shared by tests: personas' password, user creation, API clients, browser login
and screenshots."""

from pathlib import Path

from django.db import connection

from institutions.models import Membership, Role, User

PASSWORD = "monev-test-sandi"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def make_user(institution, username, *roles, agency=None, full_name=""):
    user = User.objects.create_user(
        username, password=PASSWORD, institution=institution, full_name=full_name or username
    )
    for role in roles:
        Membership.objects.create(
            user=user, role=role, agency=agency if role == Role.AGENCY else None
        )
    return user


def api_client(user):
    """A DRF test client calling the API with a real personal token of `user` (made by
    the same service as the page "Token API")."""
    from rest_framework.test import APIClient

    from institutions.services.tokens import create_api_token

    _token, text = create_api_token(by=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def screenshot(page, name, *, full_page=True, attempts=3):
    """Save a screenshot under var/screenshots/ for a person to look at: the full page, or the
    viewport with full_page=False.

    Chromium now and then answers "Unable to capture screenshot" when the machine is busy
    (CI runs the suite in parallel): the page is fine, the compositor missed a frame. The
    capture is tried again after a pause; a third failure is raised."""
    from playwright.sync_api import Error

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
            return
        except Error as error:
            if "Unable to capture screenshot" not in str(error) or attempt == attempts:
                raise
            page.wait_for_timeout(500 * attempt)


def login(page, username, password=PASSWORD):
    page.goto(f"{page.base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{page.base_url}/")


def chain_lock_queries():
    """The queries a write's audit event spends on locking its chain: PostgreSQL takes an
    advisory lock with a query of its own (audit.chain); SQLite's write lock is the
    transaction's (BEGIN IMMEDIATE), with none."""
    return 1 if connection.vendor == "postgresql" else 0
