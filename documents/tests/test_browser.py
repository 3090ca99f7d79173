"""Real Chromium: anyone checks a letter by its code and compares a copy; the coordinator
follows a background build on the cycle's document register and manages Word templates."""

import threading

import pytest
from playwright.sync_api import expect

from documents.jobs import finish_job, update_job
from documents.models import GenerationJob
from letters import services as letter_services
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_verifies_a_letter_and_its_copy(page, cycle, coordinator, tmp_path):
    _invitation, data_request = letter_services.draft_cycle_letters(cycle, by=coordinator)
    document = letter_services.letter_document(data_request, by=coordinator, format="pdf")
    original = tmp_path / "surat.pdf"
    with document.file.open("rb") as handle:
        original.write_bytes(handle.read())
    changed = tmp_path / "surat-diubah.pdf"
    content = bytearray(original.read_bytes())
    content[-200] ^= 1
    changed.write_bytes(bytes(content))

    # Typed by hand from the paper: lower case, with a dash.
    page.goto(f"{page.base_url}/verifikasi/")
    page.get_by_label("Kode verifikasi").fill(f"{document.code[:5].lower()}-{document.code[5:]}")
    page.get_by_role("button", name="Periksa kode").click()
    page.wait_for_url(f"{page.base_url}/verifikasi/{document.code}/")
    expect(page.get_by_text("Dokumen terdaftar")).to_be_visible()
    expect(page.get_by_text("Surat Permohonan Data")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    screenshot(page, "documents-verify")

    page.get_by_label("Salinan dokumen").set_input_files(str(original))
    page.get_by_role("button", name="Periksa salinan").click()
    expect(page.get_by_role("status").get_by_text("Salinan identik")).to_be_visible()
    screenshot(page, "documents-verify-identical")

    page.get_by_label("Salinan dokumen").set_input_files(str(changed))
    page.get_by_role("button", name="Periksa salinan").click()
    alert = page.get_by_role("alert")
    expect(alert.get_by_text("Salinan TIDAK sama dengan dokumen asli")).to_be_visible()
    screenshot(page, "documents-verify-different")

    response = page.goto(f"{page.base_url}/verifikasi/ABCDEFGHJK/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Kode verifikasi tidak dikenal")).to_be_visible()
    screenshot(page, "documents-verify-unknown")


def test_coordinator_follows_a_build_and_finds_the_documents(page, cycle, coordinator):
    invitation, _data_request = letter_services.draft_cycle_letters(cycle, by=coordinator)
    for format in ("pdf", "docx"):
        letter_services.letter_document(invitation, by=coordinator, format=format)
    invitation.subject += " (perbaikan)"
    invitation.save()
    letter_services.letter_document(invitation, by=coordinator, format="pdf")
    job = GenerationJob.objects.create(
        institution=cycle.institution, cycle=cycle, kind="letter", requested_by=coordinator
    )
    update_job(job, progress=35, step="Menggabungkan data dukung 14 dari 40")

    login(page, "koordinator")
    page.goto(f"{page.base_url}/periode/{cycle.pk}/")
    page.get_by_role("link", name="Dokumen", exact=True).click()
    expect(page.get_by_role("heading", name="Dokumen periode")).to_be_visible()
    expect(page.get_by_text("35% · Menggabungkan data dukung 14 dari 40")).to_be_visible()
    page.get_by_text("1 versi sebelumnya").click()
    expect(page.get_by_role("link", name="Versi 1 (PDF)")).to_be_visible()
    screenshot(page, "documents-cycle-register")

    # The build finishes while the page is open: the status updates itself.
    threading.Timer(0.5, finish_job, kwargs={"job": job, "documents": []}).start()
    page.locator(f"#job-{job.pk}").get_by_text("selesai").wait_for(timeout=5000)
    assert page.locator(f"#job-{job.pk}").get_attribute("hx-trigger") is None

    with page.expect_download() as download:
        page.get_by_role("link", name="Surat Undangan").first.click()
    assert download.value.suggested_filename.startswith("surat-undangan-")


def test_coordinator_replaces_the_letter_template(page, coordinator, tmp_path):
    import docx

    broken = tmp_path / "rusak.docx"
    document = docx.Document()
    document.add_paragraph("Nomor: {{ number_text")
    document.save(broken)

    login(page, "koordinator")
    page.get_by_role("link", name="Templat dokumen").click()
    expect(page.get_by_role("heading", name="Templat dokumen (Word)")).to_be_visible()
    screenshot(page, "documents-template-list")
    page.get_by_role("link", name="Unggah templat baru").first.click()
    page.get_by_label("Templat Word (.docx)").set_input_files(str(broken))
    page.get_by_role("button", name="Periksa dan pakai templat").click()
    expect(page.get_by_text("Templat tidak dipakai.")).to_be_visible()
    expect(page.get_by_text("Kesalahan penulisan tag Jinja")).to_be_visible()
    screenshot(page, "documents-template-refused")
