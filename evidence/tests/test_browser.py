"""Real Chromium on a phone-sized screen: an OPD operator chooses several files at once in
the data dukung panel; each is uploaded in its own request with its own progress row, a
refused one shows its reason on its row while the others are stored; links, edits and
detaching still swap the panel with HTMX."""

import threading
import time

import pytest
from playwright.sync_api import expect

from evidence import views
from evidence.models import Evidence
from evidence.tests.helpers import image_bytes, pdf_bytes, xlsx_bytes
from monev.testing import login, screenshot
from submissions.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
REFUSED = (
    "Jenis berkas tidak diizinkan: tidak dikenal; yang diterima PDF, JPG, PNG, DOCX, XLSX, "
    "ODT, ODS."
)


# The PDF viewer's toolbar lives in nested shadow roots.
SHOWS_FILE_NAME = """name => {
  const texts = [];
  const visit = root => {
    texts.push(root.textContent || "");
    root.querySelectorAll("*").forEach(el => el.shadowRoot && visit(el.shadowRoot));
  };
  visit(document);
  return texts.join(" ").includes(name);
}"""


def write(folder, name, content):
    path = folder / name
    path.write_bytes(content)
    return str(path)


def no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_many_files_at_once_on_a_phone(page, settings, tmp_path, submission, agency_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size(PHONE)
    first = [
        write(tmp_path, "SK_Tim_SPBE.pdf", pdf_bytes(2)),
        write(tmp_path, "Foto rapat.png", image_bytes("PNG")),
        write(tmp_path, "Rekap layanan.xlsx", xlsx_bytes()),
    ]
    login(page, agency_user.username)
    page.goto(f"{page.base_url}/bukti/isian/{submission.pk}/")
    panel = page.locator(".evidence-panel")
    rows = page.locator(".evidence-progress-row")
    items = page.locator(".evidence-item")

    page.get_by_label("Pilih berkas").set_input_files(first)
    expect(rows).to_have_count(3)
    for index in range(3):
        expect(rows.nth(index).locator(".evidence-progress-state")).to_have_text("Selesai")
    expect(items).to_have_count(3)
    assert sorted(items.evaluate_all("rows => rows.map(row => row.dataset.title)")) == [
        "Foto rapat",
        "Rekap layanan",
        "SK Tim SPBE",
    ]
    assert items.evaluate_all("rows => rows.map(row => row.dataset.reference)") == [
        "Dokumen 36.a",
        "Dokumen 36.b",
        "Dokumen 36.c",
    ]

    # One good file and an HTML page renamed .pdf: the page is refused on its own row.
    second = [
        write(tmp_path, "Notulen.pdf", pdf_bytes(1)),
        write(tmp_path, "laporan.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),
    ]
    page.get_by_label("Pilih berkas").set_input_files(second)
    # A new batch clears the stored files' rows of the last one.
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".evidence-progress-state")).to_have_text("Selesai")
    expect(rows.nth(1).locator(".evidence-progress-state")).to_have_text(REFUSED)
    expect(rows.nth(1)).to_contain_text("laporan.pdf")
    expect(items).to_have_count(4)
    assert sorted(submission.evidence.values_list("title", flat=True)) == [
        "Foto rapat",
        "Notulen",
        "Rekap layanan",
        "SK Tim SPBE",
    ]
    assert no_horizontal_scroll(page)
    # Tap targets: every button, link-button and summary of the panel is 44 px tall or more.
    heights = panel.locator(".btn:visible, summary:visible, .evidence-drop").evaluate_all(
        "nodes => nodes.map(node => node.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    screenshot(page, "evidence-panel-390")

    # The title and date are corrected afterwards; the progress rows stay through the swap.
    notulen = items.filter(has_text="Notulen")
    notulen.get_by_text("Ubah").click()
    notulen.get_by_label("Judul dokumen").fill("Notulen Rapat Tim SPBE")
    notulen.get_by_label("Tanggal dokumen").fill("2025-02-03")
    notulen.get_by_role("button", name="Simpan").click()
    expect(panel.get_by_text("“Notulen Rapat Tim SPBE” disimpan.")).to_be_visible()
    expect(rows).to_have_count(2)
    assert Evidence.objects.get(title="Notulen Rapat Tim SPBE").document_date.isoformat() == (
        "2025-02-03"
    )

    # The file link opens the preview in a new tab, typed as detected at upload.
    sk = items.filter(has_text="SK Tim SPBE")
    # Two files go at once: the order they finish in gives the letters.
    name = f"{sk.get_attribute('data-reference').removeprefix('Dokumen ')}.SK-Tim-SPBE.pdf"
    with (
        page.context.expect_event(
            "response", lambda response: "/lihat/" in response.url
        ) as preview,
        page.context.expect_page() as opened,
    ):
        sk.get_by_role("link", name="Lihat").click()
    tab = opened.value
    response = preview.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{name}"'
    assert response.headers["x-content-type-options"] == "nosniff"
    # Chromium's PDF viewer started in the tab and read the document (its toolbar names it).
    tab.wait_for_load_state()
    assert tab.evaluate("document.contentType") == "application/pdf"
    for _attempt in range(50):
        viewers = [frame for frame in tab.frames if frame.url.startswith("chrome-extension://")]
        if viewers:
            break
        tab.wait_for_timeout(100)
    viewer = viewers[0]
    viewer.wait_for_function(SHOWS_FILE_NAME, arg=name)
    tab.close()

    page.set_viewport_size(LAPTOP)
    assert no_horizontal_scroll(page)
    screenshot(page, "evidence-panel-1366")

    page.set_viewport_size(PHONE)
    items.filter(has_text="Rekap layanan").get_by_role("button", name="Lepas").click()
    expect(items).to_have_count(3)
    expect(rows).to_have_count(2)


def test_files_before_the_answer_exists_on_the_indicator_page(
    page, settings, tmp_path, cycle, agency, agency_user, indicator
):
    """The panel is there before anything is saved; the first file creates the empty draft
    (version 0), and the answer typed afterwards autosaves without a conflict."""
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size(PHONE)
    login(page, agency_user.username)
    page.goto(f"{page.base_url}/isian/{cycle.pk}/opd/{agency.pk}/indikator/{indicator.pk}/")
    panel = page.locator("#data-dukung .evidence-panel")
    panel.get_by_label("Pilih berkas").set_input_files(
        [
            write(tmp_path, "SK Tim.pdf", pdf_bytes()),
            write(tmp_path, "Foto.png", image_bytes("PNG")),
        ]
    )
    expect(page.locator(".evidence-progress-state")).to_have_text(["Selesai", "Selesai"])
    expect(page.locator(".evidence-item")).to_have_count(2)
    submission = Submission.objects.get()
    assert (submission.version, submission.evidence.count()) == (0, 2)
    assert no_horizontal_scroll(page)
    screenshot(page, "evidence-before-answer-390")

    page.get_by_label("FAKTA").fill("Perwa 8/2024, Dokumen 36.a.")
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan")
    submission.refresh_from_db()
    assert (submission.version, submission.fakta) == (1, "Perwa 8/2024, Dokumen 36.a.")


def test_two_files_before_the_answer_exists_keep_both_rows_whatever_answer_comes_last(
    page, settings, monkeypatch, tmp_path, cycle, agency, agency_user, indicator
):
    """Both files go to the answer-scoped URL and come back as whole panels. The server is
    made to store the second file only once the first's panel (one row) is rendered, and to
    send that panel after the second's (two rows): it must not take the other's row away."""
    settings.MEDIA_ROOT = tmp_path / "media"
    first_rendered = threading.Event()
    stores, answers = [], []
    store_files, answer_response = views._store_files, views._answer_response

    def store_second_after_first_rendered(*args, **kwargs):
        stores.append(1)
        if len(stores) == 2:
            first_rendered.wait(10)
        return store_files(*args, **kwargs)

    def send_first_answer_last(*args, **kwargs):
        response = answer_response(*args, **kwargs)
        answers.append(1)
        if len(answers) == 1:
            first_rendered.set()
            time.sleep(1.5)  # meanwhile the second file is stored and answered
        return response

    monkeypatch.setattr(views, "_store_files", store_second_after_first_rendered)
    monkeypatch.setattr(views, "_answer_response", send_first_answer_last)
    login(page, agency_user.username)
    page.goto(f"{page.base_url}/isian/{cycle.pk}/opd/{agency.pk}/indikator/{indicator.pk}/")
    page.locator("#data-dukung .evidence-panel").get_by_label("Pilih berkas").set_input_files(
        [
            write(tmp_path, "SK Tim.pdf", pdf_bytes()),
            write(tmp_path, "Foto.png", image_bytes("PNG")),
        ]
    )

    expect(page.locator(".evidence-progress-state")).to_have_text(["Selesai", "Selesai"])
    expect(page.locator(".evidence-item")).to_have_count(2)
    assert Submission.objects.get().evidence.count() == 2
