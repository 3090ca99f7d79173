"""The cycle's document register and document downloads."""

import re

import pytest
from django.urls import reverse

from documents.jobs import update_job
from documents.models import GenerationJob
from documents.views import download_name


def register_url(cycle):
    return reverse("cycle_documents", args=[cycle.pk])


def download(client, document):
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_documents_grouped_by_kind_newest_version_first(client, coordinator, cycle, make_document):
    first = make_document(b"%PDF v1", cycle=cycle)
    second = make_document(b"%PDF v2, panjang", cycle=cycle)
    word = make_document(b"PK docx", cycle=cycle, format="docx")
    minutes = make_document(
        b"%PDF notulen",
        cycle=cycle,
        kind="meetings.notulen",
        source="meetings.meeting:3:notulen",
        title="Notulen Rapat Koordinasi",
        number="",
    )
    make_document(b"lain", source="letters.letter:99")  # no cycle
    client.force_login(coordinator)
    html = client.get(register_url(cycle)).content.decode()

    headings = re.findall(r'<h2 id="kind-\d+">(.*?)</h2>', html)
    assert headings == ["Notulen Rapat Koordinasi", "Surat Permohonan Data"]
    letters = html[html.index("Surat Permohonan Data</h2>") :]
    newest_pdf = letters.index(reverse("document_download", args=[second.pk]))
    older = letters.index("1 versi sebelumnya")
    assert newest_pdf < older < letters.index(reverse("document_download", args=[first.pk]))
    assert reverse("document_download", args=[word.pk]) in letters
    assert f'title="{second.sha256}">{second.sha256}</code>' in html
    assert f'<a href="/verifikasi/{minutes.code}/"><code>{minutes.code}</code></a>' in html
    assert "Rina Koordinator" in html
    assert "005/12/DISKOMINFO/2026" in html
    assert "16\xa0bita" in html
    assert "letters.letter:99" not in html


def test_the_register_shows_the_cycles_builds_first(client, coordinator, cycle):
    job = GenerationJob.objects.create(
        institution=cycle.institution, cycle=cycle, kind="letter", requested_by=coordinator
    )
    update_job(job, progress=60, step="Menggabungkan data dukung")
    client.force_login(coordinator)
    html = client.get(register_url(cycle)).content.decode()
    assert f'id="job-{job.pk}"' in html
    assert "60% · Menggabungkan data dukung" in html
    assert 'hx-trigger="every 1s"' in html
    assert "Belum ada dokumen untuk periode ini." in html


def test_the_register_queries_do_not_grow_with_documents(
    client, coordinator, cycle, make_document, django_assert_num_queries
):
    client.force_login(coordinator)
    make_document(cycle=cycle)
    GenerationJob.objects.create(
        institution=cycle.institution, cycle=cycle, kind="letter", requested_by=coordinator
    )
    # 11 with the menu badge's waiting work (cycles.waiting); 10 since the user is read with
    # their institution in one query (UserBackend); 8 since the badge's staff work is one
    # statement (cycles.waiting) and the session one plain read (institutions.backends).
    with django_assert_num_queries(8) as one:
        client.get(register_url(cycle))
    for n in range(29):
        make_document(f"isi {n}".encode(), cycle=cycle, source=f"letters.letter:{n % 7}")
    GenerationJob.objects.create(
        institution=cycle.institution, cycle=cycle, kind="letter", requested_by=coordinator
    )
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(register_url(cycle)).content.decode()
    assert html.count('href="/verifikasi/') == 30


@pytest.mark.parametrize("persona", ["supervisor", "secretariat", "evaluator", "leader"])
def test_staff_see_the_register_and_download(request, client, cycle, make_document, persona):
    document = make_document(b"%PDF-1.7 asli", cycle=cycle)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(register_url(cycle)).status_code == 200
    response, content = download(client, document)
    assert content == b"%PDF-1.7 asli"
    assert response["Content-Disposition"] == (
        'attachment; filename="surat-permohonan-data-005-12-diskominfo-2026-v1.pdf"'
    )


def test_opd_operators_and_other_institutions_get_404(
    client, cycle, make_document, agency_user, outsider
):
    document = make_document(cycle=cycle)
    for user in (agency_user, outsider):
        client.force_login(user)
        assert client.get(register_url(cycle)).status_code == 404
        assert client.get(reverse("document_download", args=[document.pk])).status_code == 404


def test_the_register_needs_a_login(client, cycle):
    response = client.get(register_url(cycle))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_download_names_are_readable(make_document):
    document = make_document(title="Berita Acara: Hasil/Evaluasi", number="", format="docx")
    assert download_name(document) == "berita-acara-hasilevaluasi-v1.docx"
