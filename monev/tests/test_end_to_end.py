"""Real Chromium, one whole cycle of the SOP "Monitoring dan Evaluasi SPBE" on the demo
data, every step by the persona who does it:

1. the coordinator opens the 2099 cycle, keeps the proposed assignment, drafts the letters;
2. the Kabid disposes them; 3. the secretariat numbers, signs and dispatches them;
4. the BKPSDM operator answers indicator 25 with a PDF data dukung and submits it;
5. the coordinator closes the collection and accepts the answer;
6. the meeting is scheduled, someone checks in, it starts, the team agrees indicator 25 in
   meeting mode and the coordinator finalizes;
7. the Berita Acara is prepared, numbered, routed and approved by the Sekda;
8. the coordinator builds the Dokumen Evaluasi SPBE and downloads it; anyone verifies it
   and a copy of it by its code.

Fast paths through the services (what the browser tests of each app already show): the
other OPDs' answers, and the agreed levels of the other 46 indicators.
"""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from assessments import services as assessment_services
from assessments.queries import live_result
from assessments.services import assessment_of
from cycles.models import Cycle, StepRun
from demo import builder
from documents.models import Document
from frameworks.scoring import display, score
from institutions.models import Agency, Institution, User
from monev.testing import login, screenshot
from submissions import services as submission_services
from submissions.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = builder.DEMO_PASSWORD
YEAR = 2099  # the demo already has last year's and this year's cycles
SAVED = re.compile(r"Tersimpan \d{2}\.\d{2}")
PLACE = "Ruang Rapat Pontive Center"
# The level agreed for every indicator but 25, in tree order (a pattern over the scale).
LEVELS = [(number * 7) % 5 + 1 for number in range(47)]
AGREED_25 = 4  # BKPSDM proposes 3; the meeting agrees 4


def one_page_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def pdf_text(path):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def as_user(page, username):
    """Log out whoever is in, log `username` in."""
    if page.get_by_role("button", name="Keluar").count():
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url(f"{page.base_url}/masuk/")
    login(page, username, PASSWORD)


def open_cycle_letter(page, cycle_url, kind):
    page.goto(cycle_url)
    page.locator("#surat-periode").get_by_role("link", name=kind).click()
    expect(page.get_by_role("heading", name=kind)).to_be_visible()


def step_status(page, number):
    return page.locator(f"#langkah-{number}")


def test_one_cycle_through_all_eight_sop_steps(page, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    builder.build()
    institution = Institution.objects.get(slug="pontianak")
    bkpsdm = Agency.objects.get(institution=institution, short_name="BKPSDM")
    letter_kinds = ["Surat Undangan", "Surat Permohonan Data"]

    # --- Step 1: the coordinator opens the cycle and drafts the letters. ------------------
    as_user(page, "koordinator")
    page.get_by_role("link", name="Periode monev", exact=True).click()
    page.get_by_role("link", name="Buka periode monev baru").click()
    page.get_by_label("Tahun evaluasi").fill(str(YEAR))
    page.get_by_label("Batas waktu pengisian OPD").fill(f"{YEAR}-12-15")
    page.get_by_label("Telepon/WA narahubung").fill("0812-5678-1234")
    page.get_by_role("button", name="Buka periode").click()
    expect(page.get_by_role("heading", name="Penugasan indikator ke OPD")).to_be_visible()
    page.get_by_role("button", name="Simpan penugasan").click()
    cycle = Cycle.objects.get(institution=institution, year=YEAR)
    cycle_url = f"{page.base_url}/periode/{cycle.pk}/"
    # Saving stays on the matrix; its link leads back to the cycle.
    expect(page.locator(".messages")).to_be_visible()
    page.get_by_role("link", name="Kembali ke halaman periode").click()
    expect(page).to_have_url(cycle_url)
    page.get_by_role("button", name="Buat draf surat").click()
    expect(page.get_by_role("status")).to_have_text(
        "Draf surat undangan dan surat permohonan data dibuat. Periksa teksnya."
    )
    for kind in letter_kinds:
        open_cycle_letter(page, cycle_url, kind)
        page.get_by_role("button", name="Ajukan untuk disposisi").click()
        expect(page.locator("#status-surat")).to_have_text("menunggu disposisi")
    page.goto(cycle_url)
    expect(step_status(page, 1)).to_contain_text("Selesai")
    screenshot(page, "e2e-1-letters-submitted")
    indicators = {
        node.number: node
        for node in cycle.framework.nodes.filter(children__isnull=True).order_by("position")
    }
    indicator_25 = indicators["25"]
    assert list(
        cycle.assignments.filter(indicator=indicator_25).values_list("agency", flat=True)
    ) == [bkpsdm.pk]

    # --- Step 2: the Kabid approves both with a disposition. ------------------------------
    as_user(page, "kabid")
    for kind in letter_kinds:
        open_cycle_letter(page, cycle_url, kind)
        page.get_by_label("Setujui dan disposisikan").check()
        page.get_by_label("Instruksi disposisi").fill("Segera proses.")
        page.get_by_role("button", name="Simpan disposisi").click()
        expect(page.locator("#status-surat")).to_have_text("didisposisikan")
    screenshot(page, "e2e-2-disposed")

    # --- Step 3: the secretariat numbers, records the signature and dispatches. -----------
    as_user(page, "sekretariat")
    signed = one_page_pdf(tmp_path / "surat-bertanda-tangan.pdf")
    for kind in letter_kinds:
        open_cycle_letter(page, cycle_url, kind)
        page.get_by_role("button", name="Beri nomor surat").click()
        page.get_by_role("button", name="Ya, beri nomor surat").click()
        expect(page.locator("#status-surat")).to_have_text("bernomor")
        page.locator("#id_signed_pdf").set_input_files(str(signed))
        page.get_by_label("Saya mengerti: tanda tangan yang dicatat tidak dapat dibatalkan").check()
        page.get_by_role("button", name="Catat tanda tangan").click()
        expect(page.locator("#status-surat")).to_have_text("ditandatangani")
        page.get_by_role("button", name="Kirim ke OPD").click()
        expect(page.locator("#konfirmasi")).to_contain_text("tidak dapat ditarik kembali")
        page.get_by_role("button", name="Ya, kirim ke OPD").click()
        expect(page.locator("#status-surat")).to_have_text("dikirim")
    screenshot(page, "e2e-3-dispatched")

    # Fast path: the other OPDs answer their indicators and submit them (one answer each).
    for agency in cycle.agencies.exclude(pk=bkpsdm.pk).order_by("name"):
        assignment = cycle.assignments.filter(agency=agency).order_by("indicator__position").first()
        if assignment is None:
            continue
        operator = User.objects.get(memberships__agency=agency)
        number = int(assignment.indicator.number)
        submission = submission_services.save_draft(
            cycle,
            assignment.indicator,
            agency,
            by=operator,
            level=LEVELS[number - 1],
            fakta=f"Dokumen {agency.short_name} untuk indikator {number}.",
            analisis="Kriteria tingkat terpenuhi.",
            version=0,
        )
        submission_services.submit_submission(submission, by=operator)

    # --- Step 4: the BKPSDM operator answers indicator 25 with a PDF and submits it. -------
    as_user(page, "opd-bkpsdm")
    page.goto(f"{page.base_url}/isian/{cycle.pk}/opd/{bkpsdm.pk}/")
    page.get_by_role("link", name=indicator_25.name).click()
    page.get_by_label("3 — Terdefinisi").check()
    page.get_by_label("FAKTA").fill(
        "Perwa 8/2098 tentang Sistem Informasi Kepegawaian, Pasal 4 (hlm. 3), berkas "
        "25.a.Perwa-8-2098.pdf."
    )
    page.get_by_label("ANALISIS").fill(
        "Layanan kepegawaian berbasis elektronik terdefinisi dan dipakai seluruh OPD: "
        "kriteria tingkat 3 terpenuhi."
    )
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    panel = page.locator(".evidence-panel")
    evidence = one_page_pdf(tmp_path / "25.a.Perwa-8-2098.pdf")
    evidence_sha = hashlib.sha256(evidence.read_bytes()).hexdigest()
    panel.get_by_label("Pilih berkas").set_input_files(str(evidence))
    expect(panel.locator(".evidence-progress-state")).to_have_text("Selesai")
    # The title defaults to the file name without its national prefix: "Perwa 8 2098".
    expect(panel.locator(".evidence-item")).to_have_attribute("data-title", "Perwa 8 2098")
    screenshot(page, "e2e-4-answer")
    page.get_by_role("button", name="Ajukan isian ini").click()
    expect(page.get_by_text("Isian indikator 25 diajukan.")).to_be_visible()
    screenshot(page, "e2e-4-submitted")

    # --- Step 5: the coordinator closes the collection and accepts the answer. ------------
    as_user(page, "koordinator")
    page.goto(cycle_url)
    page.get_by_role("link", name="Isian OPD", exact=True).click()
    page.get_by_role("button", name="Tutup pengumpulan isian").click()
    expect(page.locator("#konfirmasi")).to_contain_text("Langkah 4 selesai dan langkah 5 dimulai.")
    page.get_by_role("button", name="Ya, tutup pengumpulan isian").click()
    expect(page.get_by_role("button", name="Tutup pengumpulan isian")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Semua \(")).click()
    page.get_by_role("link", name=indicator_25.name).click()
    card = page.locator(f"#opd-{bkpsdm.pk}")
    expect(card).to_contain_text("Perwa 8/2098")
    card.get_by_role("button", name="Terima isian BKPSDM").click()
    expect(page.get_by_text("Isian BKPSDM diterima.")).to_be_visible()
    screenshot(page, "e2e-5-accepted")
    assert Submission.objects.get(cycle=cycle, agency=bkpsdm, indicator=indicator_25).status == (
        Submission.Status.ACCEPTED
    )

    # --- Step 6: the coordination meeting. -------------------------------------------------
    page.goto(cycle_url)
    page.get_by_role("link", name="Rapat koordinasi", exact=True).click()
    page.get_by_label("Tanggal").fill(institution.today().isoformat())
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Tempat").fill(PLACE)
    page.get_by_role("button", name="Jadwalkan rapat").click()
    expect(page.get_by_text("Jadwal rapat disimpan.")).to_be_visible()
    attendance = page.locator("#daftar-hadir")
    attendance.get_by_role("button", name="Catat Operator BKPSDM hadir").click()
    expect(attendance.locator("tr", has_text="Operator BKPSDM")).to_have_class("present")
    page.get_by_role("button", name="Mulai rapat").click()
    page.get_by_role("button", name="Ya, mulai rapat").click()
    expect(page.locator("#status-rapat")).to_contain_text("rapat berjalan sejak")
    screenshot(page, "e2e-6-meeting-started")

    # Fast path: the other 46 levels were agreed earlier in the meeting.
    evaluator = User.objects.get(username="evaluator")
    for node in indicators.values():
        if node.pk != indicator_25.pk:
            assessment_services.set_decision(
                cycle,
                node,
                by=evaluator,
                level=LEVELS[int(node.number) - 1],
                fakta="Fakta.",
                analisis="Analisis.",
            )
    levels = {node.code: LEVELS[int(node.number) - 1] for node in indicators.values()}
    levels[indicator_25.code] = AGREED_25
    expected = score(cycle.framework.spec(), levels)

    # Meeting mode lands on the one indicator still open.
    page.get_by_role("link", name="Buka mode rapat").click()
    expect(page).to_have_url(f"{page.base_url}/hasil/{cycle.pk}/rapat/{indicator_25.pk}/")
    expect(page.locator("#live-index")).to_have_text("–")
    expect(page.locator("#meeting-bar")).to_contain_text("46 dari 47 indikator disepakati")
    expect(page.locator("#id_fakta")).to_have_value(re.compile("^BKPSDM: Perwa 8/2098"))
    page.locator(f'label.level-button:has(input[value="{AGREED_25}"])').click()
    page.locator("#id_analisis").fill(
        "Terintegrasi dengan SIASN BKN sejak Maret: kriteria tingkat 4 terpenuhi."
    )
    page.locator(".meeting-evidence summary").click()
    page.get_by_label("Perwa 8 2098").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#decision-status")).to_contain_text(f"Tersimpan: tingkat {AGREED_25}")
    expect(page.locator("#live-index")).to_have_text(display(expected.index))
    expect(page.locator("#live-rating")).to_have_text(expected.rating)
    expect(page.locator("#meeting-bar")).to_contain_text("47 dari 47 indikator disepakati")
    screenshot(page, "e2e-6-meeting-mode")
    result = live_result(assessment_of(cycle))
    assert (result.display, result.rating) == (display(expected.index), expected.rating)

    page.get_by_role("link", name="Periksa hasil dan finalkan").click()
    expect(page.locator("#indeks")).to_contain_text(f"Indeks: {display(expected.index)}")
    page.get_by_role("button", name="Finalkan hasil evaluasi").click()
    expect(page.locator("#konfirmasi")).to_contain_text(
        f"Hasil final: indeks {display(expected.index)} ({expected.rating}) dari 47 indikator."
    )
    page.get_by_role("button", name="Ya, finalkan hasil evaluasi").click()
    expect(page.get_by_text("Hasil evaluasi mandiri difinalkan.")).to_be_visible()
    screenshot(page, "e2e-6-final")
    # The official form, no longer a draft.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh formulir (PDF)").click()
    form_pdf = tmp_path / "formulir.pdf"
    download_info.value.save_as(form_pdf)
    form_text = pdf_text(form_pdf)
    assert (
        f"Indeks SPBE {display(expected.index)} Predikat {expected.rating} Status Final"
        in form_text
    )
    assert f"25 {indicator_25.name} {AGREED_25} FAKTA BKPSDM: Perwa 8/2098" in form_text
    assert f"25.a.Perwa-8-2098.pdf SHA-256 {evidence_sha[:12]}" in form_text

    # --- Step 7: the Berita Acara, prepared, numbered, routed and approved. ----------------
    page.goto(cycle_url)
    page.get_by_role("link", name="Berita Acara", exact=True).click()
    page.get_by_role(
        "button", name="Siapkan Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Draf Berita Acara")
    expect(page.locator("#indeks")).to_have_text(display(expected.index))
    screenshot(page, "e2e-7-ba-draft")

    as_user(page, "sekretariat")
    page.goto(f"{page.base_url}/laporan/{cycle.pk}/")
    page.get_by_role("button", name="Beri nomor").click()
    page.get_by_role("button", name="Ya, beri nomor").click()
    expect(page.get_by_role("status")).to_contain_text("Dokumen diberi nomor")
    page.get_by_role("button", name="Ajukan kepada pimpinan untuk ditandatangani").click()
    expect(page.get_by_role("status")).to_have_text(
        "Dokumen diajukan kepada pimpinan untuk ditandatangani."
    )
    screenshot(page, "e2e-7-ba-routed")

    as_user(page, "sekda")
    page.locator("#work").get_by_role(
        "link", name="Tandatangani Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE"
    ).click()
    expect(page.locator("#indeks")).to_have_text(display(expected.index))
    page.get_by_label(
        "Saya telah membaca dokumen ini dan menyetujuinya sebagai penanda tangan."
    ).check()
    page.get_by_role("button", name="Catat persetujuan saya").click()
    expect(page.locator("#status-dokumen")).to_have_text("ditandatangani")
    screenshot(page, "e2e-7-ba-signed")

    # --- Step 8: the Dokumen Evaluasi SPBE. ------------------------------------------------
    # As at scale: the build waits for a worker (the database task backend), the page polls.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    as_user(page, "koordinator")
    page.goto(cycle_url)
    page.get_by_role("link", name="Berita Acara", exact=True).click()
    page.get_by_role("link", name="Dokumen Evaluasi SPBE (langkah 8)").click()
    page.get_by_role("button", name="Buat Dokumen Evaluasi SPBE").click()
    expect(page.get_by_text("Pembuatan Dokumen Evaluasi SPBE dimulai")).to_be_visible()
    expect(page.locator(".job").get_by_text("0% · menunggu giliran")).to_be_visible()
    screenshot(page, "e2e-8-evaluation-queued")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job = page.locator(".job-done")
    expect(job).to_be_visible()  # the page polled the job's status until it was done
    expect(job.locator(".badge")).to_have_text("selesai")
    screenshot(page, "e2e-8-evaluation-done")
    with page.expect_download() as download_info:
        job.locator("li", has_text="PDF ·").get_by_role("link").click()
    original = tmp_path / "dokumen-evaluasi.pdf"
    download_info.value.save_as(original)
    document = Document.objects.get(cycle=cycle, kind="evaluation", format="pdf")
    assert hashlib.sha256(original.read_bytes()).hexdigest() == document.sha256
    text = pdf_text(original)
    # The cover: its title and result, and the kop (drawn after them since the kop's
    # layout holds a place for the coat of arms).
    assert text.startswith(
        f"DOKUMEN EVALUASI SPBE Evaluasi Mandiri Sistem Pemerintahan Berbasis "
        f"Elektronik PEMERINTAH KOTA PONTIANAK TAHUN {YEAR} Indeks SPBE hasil evaluasi mandiri "
        f"{display(expected.index)} Predikat {expected.rating} "
    )
    cover = text.split("BAB I.")[0]
    assert (
        "PEMERINTAH KOTA PONTIANAK DINAS KOMUNIKASI DAN INFORMATIKA Jalan Rahadi Usman Nomor 3, "
        "Pontianak 78111" in cover
    )
    assert (
        f"Evaluasi mandiri Sistem Pemerintahan Berbasis Elektronik (SPBE) {institution.name} "
        f"Tahun {YEAR} dilaksanakan" in text
    )
    assert (
        f"Indeks SPBE hasil evaluasi mandiri adalah {display(expected.index)} dengan predikat "
        f"{expected.rating}." in text
    )
    assert (
        f"25. {indicator_25.name} — Tingkat {AGREED_25} (Terpadu dan Terukur) Aspek 5. "
        "Penerapan Manajemen SPBE FAKTA: BKPSDM: Perwa 8/2098" in text
    )
    assert f"(BKPSDM) SHA-256 {evidence_sha[:12]}" in text
    assert re.findall(r"Kode verifikasi: ([A-Z0-9]{10})", text) == [document.code]
    code = document.code
    # The polled job does not refresh the rest of the page; reloaded, it shows step 8 done.
    page.reload()
    expect(page.get_by_text("Langkah 8 selesai")).to_be_visible()
    expect(page.locator("table.documents")).to_contain_text(code)

    # Anyone, not logged in, verifies the document and two copies.
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="id-ID")
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    visitor.goto(f"{page.base_url}/verifikasi/{code}/")
    expect(visitor.get_by_text("Dokumen terdaftar")).to_be_visible()
    facts = visitor.locator(".verify-ok")
    expect(facts).to_contain_text("Dokumen Evaluasi SPBE")
    expect(facts).to_contain_text("Pemerintah Kota Pontianak")
    expect(facts).to_contain_text(code)
    expect(visitor.get_by_role("button", name="Keluar")).to_have_count(0)
    visitor.get_by_label("Salinan dokumen").set_input_files(str(original))
    visitor.get_by_role("button", name="Periksa salinan").click()
    expect(visitor.get_by_role("status").get_by_text("Salinan identik")).to_be_visible()
    screenshot(visitor, "e2e-8-verify-identical")
    changed = tmp_path / "dokumen-evaluasi-diubah.pdf"
    content = bytearray(original.read_bytes())
    content[len(content) // 2] ^= 1
    changed.write_bytes(bytes(content))
    visitor.get_by_label("Salinan dokumen").set_input_files(str(changed))
    visitor.get_by_role("button", name="Periksa salinan").click()
    expect(
        visitor.get_by_role("alert").get_by_text("Salinan TIDAK sama dengan dokumen asli")
    ).to_be_visible()
    screenshot(visitor, "e2e-8-verify-different")
    response = visitor.goto(f"{page.base_url}/verifikasi/ABCDEFGHJK/")
    assert response.status == 404
    expect(visitor.get_by_role("heading", name="Kode verifikasi tidak dikenal")).to_be_visible()
    context.close()

    # --- The SOP sheet: all eight steps done. ---------------------------------------------
    page.goto(cycle_url)
    for number in range(1, 9):
        expect(step_status(page, number)).to_contain_text("Selesai")
    screenshot(page, "e2e-9-cycle-done")
    assert (
        list(
            StepRun.objects.filter(cycle=cycle).order_by("number").values_list("status", flat=True)
        )
        == [StepRun.Status.DONE] * 8
    )
