"""Real Chromium: the leader approves the Dokumen Evaluasi SPBE on its page, and the signed
PDF's signature page as Chromium's PDF viewer shows it (screenshots for a person to look at)."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from documents.models import Document
from monev.testing import login, screenshot
from reports import evaluation, evaluation_signing
from reports.tests.conftest import KADIS, SEKDA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_approves_and_the_signature_page_shows_both_signers(
    page, tmp_path, final, coordinator, leader, people
):
    evaluation.generate_evaluation(final, by=coordinator)
    login(page, leader.username)
    page.goto(page.base_url + reverse("evaluation", args=[final.pk]))
    section = page.locator("#persetujuan")
    expect(section.locator("#mengetahui")).to_contain_text(SEKDA)
    section.get_by_label("Saya telah membaca dokumen ini").check()
    section.get_by_role("button", name="Catat persetujuan saya").click()
    expect(page.get_by_text("Dokumen Evaluasi SPBE ditandatangani.")).to_be_visible()
    expect(page.locator("#status-persetujuan")).to_have_text("ditandatangani")
    screenshot(page, "dokumen-evaluasi-persetujuan")

    record = evaluation_signing.evaluation_record(final)
    signed = Document.objects.get(pk=record.content["pdf"])
    with signed.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    writer = PdfWriter()
    writer.add_page(reader.pages[-1])
    last = tmp_path / "halaman-tanda-tangan.pdf"
    with last.open("wb") as out:
        writer.write(out)
    page.set_viewport_size({"width": 900, "height": 1250})
    page.goto(last.as_uri())
    page.wait_for_timeout(1500)  # the viewer draws the page
    screenshot(page, "dokumen-evaluasi-halaman-tanda-tangan", full_page=False)
    text = " ".join(reader.pages[-1].extract_text().split())
    assert f"Mengetahui, Sekretaris Daerah Kota Pontianak, {SEKDA}" in text
    assert "Yang membuat, Kepala Dinas" in text and KADIS in text
