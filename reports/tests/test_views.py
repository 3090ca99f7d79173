import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from cycles import services as cycle_services
from documents.templatetags.monev_dates import tanggal
from institutions.models import Agency
from letters.models import NumberSequence
from reports import services
from reports.models import SignedReport
from reports.tests.conftest import decide, open_cycle, pdf_upload

BA = SignedReport.Kind.BERITA_ACARA
CONSENT = SignedReport.Kind.PUBLICATION_CONSENT


def page_text(response):
    return " ".join(response.content.decode().split())


def cycle_urls(cycle):
    return [
        reverse("report_list", args=[cycle.pk]),
        reverse("executive_brief", args=[cycle.pk]),
        reverse("executive_brief_pdf", args=[cycle.pk]),
    ]


def report_urls(report):
    return [
        reverse(name, args=[report.pk])
        for name in ("report_detail", "report_pdf", "report_docx", "report_signed_file")
    ]


# --- access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, numbered):
    for url in cycle_urls(numbered.cycle) + report_urls(numbered):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/masuk/")


@pytest.mark.parametrize("persona", ["outsider", "agency_user"])
def test_other_institution_and_opd_operators_get_404(client, numbered, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in cycle_urls(numbered.cycle) + report_urls(numbered):
        assert client.get(url).status_code == 404
    for name in ("report_number", "report_route", "report_approve", "report_upload"):
        assert client.post(reverse(name, args=[numbered.pk])).status_code == 404
    response = client.post(reverse("report_prepare", args=[numbered.cycle_id]), {"kind": BA})
    assert response.status_code == 404


def test_wrong_role_is_forbidden(client, berita_acara, evaluator, leader):
    client.force_login(evaluator)
    assert client.post(reverse("report_number", args=[berita_acara.pk])).status_code == 403
    url = reverse("report_prepare", args=[berita_acara.cycle_id])
    response = client.post(url, {"kind": CONSENT})
    assert response.status_code == 403
    client.force_login(leader)
    response = client.post(reverse("report_edit", args=[berita_acara.pk]), {"place": "Aula"})
    assert response.status_code == 403


def test_signed_file_is_404_without_upload(client, numbered, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("report_signed_file", args=[numbered.pk])).status_code == 404


# --- the list -------------------------------------------------------------------------------


def test_report_list_before_the_result_is_final(client, decided, coordinator):
    client.force_login(coordinator)
    text = page_text(client.get(reverse("report_list", args=[decided.pk])))
    assert "Hasil evaluasi mandiri belum final" in text
    assert "Siapkan Berita Acara" not in text


def test_coordinator_prepares_from_the_list(client, final, meeting, coordinator):
    client.force_login(coordinator)
    url = reverse("report_list", args=[final.pk])
    text = page_text(client.get(url))
    assert "Siapkan Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE" in text
    assert "Siapkan Pernyataan Persetujuan Publikasi" in text

    response = client.post(reverse("report_prepare", args=[final.pk]), {"kind": BA})
    report = SignedReport.objects.get(cycle=final, kind=BA)
    assert response.status_code == 302
    assert response.url == reverse("report_detail", args=[report.pk])
    text = page_text(client.get(response.url))
    assert "Draf Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE dibuat." in text
    assert "Periksa tempat dan penanda tangan" in text
    assert "dr. Andi Saputra" in text


def test_prepare_twice_shows_the_message(client, berita_acara, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("report_prepare", args=[berita_acara.cycle_id]), {"kind": BA})
    assert response.url == reverse("report_list", args=[berita_acara.cycle_id])
    text = page_text(client.get(response.url))
    assert "Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE periode ini sudah dibuat." in text


def test_report_list_shows_state_and_next_actor(client, routed, secretariat):
    client.force_login(secretariat)
    text = page_text(client.get(reverse("report_list", args=[routed.cycle_id])))
    assert routed.number in text
    assert "menunggu tanda tangan pimpinan" in text
    assert "Langkah berikutnya — Setda</strong>Pimpinan menandatangani" in text
    assert "Belum disiapkan." in text  # the Pernyataan


def test_report_list_queries_do_not_grow_with_reports(client, berita_acara, coordinator):
    client.force_login(coordinator)
    url = reverse("report_list", args=[berita_acara.cycle_id])
    client.get(url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    services.prepare_report(berita_acara.cycle, by=coordinator, kind=CONSENT)
    services.number_report(berita_acara, by=coordinator)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert len(two) == len(one) == QUERIES_REPORT_LIST


# --- the detail page and its actions ----------------------------------------------------------


def test_edit_from_the_detail_page(client, berita_acara, coordinator):
    client.force_login(coordinator)
    data = {
        "place": "Aula Sultan Syarif Abdurrahman",
        "signer_name": "Ir. Mulyadi, M.T.",
        "signer_title": "Sekretaris Daerah Kota Pontianak selaku Koordinator SPBE",
        "signer_nip": "19700101 199503 1 001",
        "maker_name": "Drs. Hendri Kurniawan, M.Si.",
        "maker_title": "Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
        "maker_nip": "",
    }
    response = client.post(reverse("report_edit", args=[berita_acara.pk]), data)
    assert response.status_code == 302
    berita_acara.refresh_from_db()
    assert (berita_acara.place, berita_acara.signer_name) == (
        "Aula Sultan Syarif Abdurrahman",
        "Ir. Mulyadi, M.T.",
    )


def test_edit_with_an_empty_signer_shows_the_form_again(client, berita_acara, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("report_edit", args=[berita_acara.pk]),
        {"place": "Aula", "signer_name": "", "signer_title": "Sekda"},
    )
    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong." in page_text(response)
    assert SignedReport.objects.get(pk=berita_acara.pk).place == berita_acara.place


def test_secretariat_numbers_and_routes_the_leader_signs(
    client, berita_acara, secretariat, leader, institution
):
    client.force_login(secretariat)
    detail = reverse("report_detail", args=[berita_acara.pk])
    assert "Beri nomor" in page_text(client.get(detail))
    client.post(reverse("report_number", args=[berita_acara.pk]), {"confirmed": "yes"})
    berita_acara.refresh_from_db()
    text = page_text(client.get(detail))
    assert f"Dokumen diberi nomor {berita_acara.number}." in text
    assert "Ajukan kepada pimpinan untuk ditandatangani" in text
    client.post(reverse("report_route", args=[berita_acara.pk]))

    client.force_login(leader)
    home = page_text(client.get(reverse("home")))
    assert "Tandatangani Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE" in home
    assert reverse("report_detail", args=[berita_acara.pk]) in home
    inbox = page_text(client.get(reverse("inbox")))
    assert f"Berita Acara menunggu tanda tangan: nomor {berita_acara.number}" in inbox

    text = page_text(client.get(detail))
    assert "Catat persetujuan saya" in text
    response = client.post(reverse("report_approve", args=[berita_acara.pk]), {})
    assert response.status_code == 200
    assert SignedReport.objects.get(pk=berita_acara.pk).status == SignedReport.Status.NUMBERED
    response = client.post(reverse("report_approve", args=[berita_acara.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert SignedReport.objects.get(pk=berita_acara.pk).status == SignedReport.Status.SIGNED
    home = page_text(client.get(reverse("home")))
    assert "Tidak ada Berita Acara yang menunggu tanda tangan Anda." in home


def test_secretariat_uploads_the_signed_pdf(client, numbered, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("report_upload", args=[numbered.pk]),
        {"signed_pdf": pdf_upload(), "confirmed": "yes"},
    )
    assert response.status_code == 302
    numbered.refresh_from_db()
    assert numbered.signature == SignedReport.Signature.UPLOAD
    download = client.get(reverse("report_signed_file", args=[numbered.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"


def test_upload_of_a_non_pdf_is_refused_on_the_page(client, numbered, secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)
    fake = SimpleUploadedFile("ba.pdf", b"bukan pdf", content_type="application/pdf")
    response = client.post(
        reverse("report_upload", args=[numbered.pk]), {"signed_pdf": fake, "confirmed": "yes"}
    )
    assert response.status_code == 200
    assert "Berkas tanda tangan harus PDF." in page_text(response)


def test_downloads(client, numbered, leader):
    client.force_login(leader)
    pdf = client.get(reverse("report_pdf", args=[numbered.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="berita-acara-{numbered.number.replace("/", "-").lower()}.pdf"'
    )
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    docx = client.get(reverse("report_docx", args=[numbered.pk]))
    assert b"".join(docx.streaming_content)[:2] == b"PK"


def test_cycle_page_links_to_the_reports(client, final, coordinator):
    client.force_login(coordinator)
    text = page_text(client.get(reverse("cycle_detail", args=[final.pk])))
    assert reverse("report_list", args=[final.pk]) in text
    assert reverse("executive_brief", args=[final.pk]) in text


# --- the executive brief ----------------------------------------------------------------------


def test_executive_brief_compares_with_last_year(
    client, final, coordinator, evaluator, agency, other_agency, indicators, leader
):
    previous = open_cycle(
        year=2025, by=coordinator, agencies=[agency, other_agency], indicators=indicators
    )
    decide(previous, indicators, evaluator, levels=[2] * 47)
    client.force_login(leader)
    response = client.get(reverse("executive_brief", args=[final.pk]))
    text = page_text(response)
    assert "Hasil evaluasi mandiri SPBE tahun 2026: indeks 2,97, predikat Baik." in text
    assert "Naik 0,97 dari tahun 2025 (indeks 2,00)." in text
    assert "Tingkat Kematangan Layanan Pengaduan Pelayanan Publik" in text
    assert response.context["brief"].agencies[0].answers_not_accepted == 2


def test_executive_brief_pdf_download(client, final, leader):
    client.force_login(leader)
    response = client.get(reverse("executive_brief_pdf", args=[final.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="ringkasan-eksekutif-spbe-2026.pdf"'
    )


# With the menu badge's waiting work (cycles.waiting): running steps, letters, answers, the
# agreed levels and the statements in step 7; one fewer since the user is read with their
# institution in one query (institutions.backends.UserBackend); 13 since the badge's running
# steps and letters are one statement (cycles.waiting).
QUERIES_REPORT_LIST = 13
# With the closing step (the "Buat versi baru" button); 16 since the user comes with their
# institution and the framework's nodes come from the tree kept per process (frameworks.trees).
# 17 since the badge counts the running steps without their cycles (cycles.waiting, one
# statement): a leader whose cycle runs step 8 reads the cycles for the statements' item.
QUERIES_BRIEF = 17


def _brief_queries(client, cycle):
    url = reverse("executive_brief", args=[cycle.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_executive_brief_queries_do_not_grow_with_opds(
    client, final, coordinator, leader, institution, indicators
):
    client.force_login(leader)
    few = _brief_queries(client, final)
    extra = [
        Agency.objects.create(institution=institution, name=f"Dinas {n}", short_name=f"D{n}")
        for n in range(8)
    ]
    final.agencies.add(*extra)
    cycle_services.set_assignments(final, dict.fromkeys(indicators[3:10], extra), by=coordinator)
    assert len(final.assignments.all()) == 56
    many = _brief_queries(client, final)
    assert many == few == QUERIES_BRIEF
    brief = client.get(reverse("executive_brief", args=[final.pk])).context["brief"]
    assert [row.answers_not_accepted for row in brief.agencies] == [7, 7, 7, 7, 7]


def test_numbering_asks_first_and_takes_no_number(client, berita_acara, secretariat):
    client.force_login(secretariat)
    url = reverse("report_number", args=[berita_acara.pk])
    today = berita_acara.cycle.institution.today()
    numbers = NumberSequence.objects.filter(year=today.year)
    last = numbers.first().last if numbers.exists() else 0

    response = client.post(url)

    assert response.status_code == 200
    text = " ".join(page_text(response).split())
    assert (
        f"Nomor 005/{last + 1}/DISKOMINFO/{today.year} diambil dari urutan nomor surat "
        f"Pemerintah Kota Pontianak tahun {today.year} dan tidak dapat dipakai ulang." in text
    )
    assert f"Tanggal dokumen: {tanggal(today)}." in text
    assert (
        "Isi dokumen (hasil evaluasi dan peserta rapat) dibekukan: perubahan sesudahnya tidak "
        "masuk ke dokumen ini." in text
    )
    assert "Tidak dapat dibatalkan: nomor yang sudah diambil tetap tercatat." in text
    berita_acara.refresh_from_db()
    assert (berita_acara.status, berita_acara.number) == ("draft", "")
    assert (numbers.first().last if numbers.exists() else 0) == last
    assert AuditEvent.objects.filter(action="report.numbered").count() == 0

    response = client.post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    berita_acara.refresh_from_db()
    assert berita_acara.number == f"005/{last + 1}/DISKOMINFO/{today.year}"
    assert AuditEvent.objects.filter(action="report.numbered").count() == 1


def test_upload_without_the_checkbox_changes_nothing(client, numbered, secretariat):
    client.force_login(secretariat)

    response = client.post(
        reverse("report_upload", args=[numbered.pk]), {"signed_pdf": pdf_upload()}
    )

    assert response.status_code == 200
    assert "Centang pernyataan ini untuk menyimpan PDF." in page_text(response)
    numbered.refresh_from_db()
    assert (numbered.status, bool(numbered.signed_file)) == ("numbered", False)
    assert AuditEvent.objects.filter(action="report.signed").count() == 0
