"""Real Chromium: the administrator adds a person, who sets a password from the invitation
e-mail and signs in; the pages fit a 390 px phone screen."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from institutions.models import Institution, Role
from monev.testing import login, make_user, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sticking_out(page):
    """What sticks out to the right (wide tables scroll inside their own box)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((el) => !el.closest(".table-scroll"))
            .map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`)
            .filter((text) => parseFloat(text.split(" ").pop()) > window.innerWidth + 1)"""
    )


def test_admin_adds_a_person_who_sets_a_password_from_the_invitation(page, settings):
    settings.SITE_URL = page.base_url
    institution = Institution.objects.create(slug="pontianak", name="Pemerintah Kota Pontianak")
    make_user(institution, "admin", Role.ADMIN, full_name="Admin Diskominfo")

    login(page, "admin")
    page.get_by_role("navigation").get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    page.get_by_label("Nama pengguna").fill("budi")
    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_role("textbox", name="Surel").fill("budi@pontianak.go.id")
    page.get_by_label("Evaluator (Tim SPBE Kota)").check()
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("heading", name="Budi Santoso")).to_be_visible()
    expect(page.get_by_text("Tautan undangan dikirim ke budi@pontianak.go.id.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 800})
    assert sticking_out(page) == []
    screenshot(page, "person-detail-390")
    page.get_by_role("button", name="Menu").click()  # on a phone the account links are in it
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{page.base_url}/masuk/")

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert link.startswith(f"{page.base_url}/undangan/")
    page.goto(link)
    expect(page.get_by_role("heading", name="Selamat datang di Monev SPBE")).to_be_visible()
    assert sticking_out(page) == []
    page.locator("#id_new_password1").fill("Sungai-Kapuas-2026")
    page.locator("#id_new_password2").fill("Sungai-Kapuas-2026")
    page.get_by_role("button", name="Simpan kata sandi").click()
    page.wait_for_url(f"{page.base_url}/masuk/")
    expect(page.get_by_text("Kata sandi Anda tersimpan.")).to_be_visible()

    login(page, "budi", "Sungai-Kapuas-2026")
    expect(page.get_by_role("link", name="Keamanan akun")).not_to_be_visible()  # in the menu
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Keamanan akun")).to_be_visible()
    page.goto(link)  # the link worked once
    expect(page.get_by_role("heading", name="Tautan tidak berlaku")).to_be_visible()
