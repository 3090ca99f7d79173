"""The public verification page: a code confirms a document, and a copy is compared with it."""

import datetime
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.models import Document
from documents.verification import normalize_code

CONTENT = b"%PDF-1.7 Surat Permohonan Data, isi asli" * 100


@pytest.fixture
def document(make_document, cycle):
    document = make_document(CONTENT, cycle=cycle)
    # Generated on the 21st at 23:30 UTC: the 22nd in Pontianak (WIB).
    Document.objects.filter(pk=document.pk).update(
        generated_at=datetime.datetime(2026, 11, 21, 23, 30, tzinfo=datetime.UTC)
    )
    return Document.objects.get(pk=document.pk)


def verify_url(code):
    return reverse("document_verify", args=[code])


def facts(response):
    """The (label, value) pairs of the page's facts list."""
    html = response.content.decode()
    return re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)


def test_a_known_code_confirms_the_document_to_anyone(client, document):
    response = client.get(verify_url(document.code))
    assert response.status_code == 200
    assert facts(response) == [
        ("Jenis", "Surat Permohonan Data"),
        ("Nomor", "005/12/DISKOMINFO/2026"),
        ("Versi", "1"),
        ("Tanggal dibuat", "22 November 2026"),
        ("Instansi", "Pemerintah Kota Pontianak"),
        ("Kode verifikasi", f"<code>{document.code}</code>"),
        ("SHA-256", f'<code class="hash">{hashlib.sha256(CONTENT).hexdigest()}</code>'),
    ]


def test_the_page_tells_nothing_else(client, document, coordinator, cycle):
    html = client.get(verify_url(document.code)).content.decode()
    for secret in (
        coordinator.username,
        coordinator.get_full_name(),
        cycle.name,
        document.file.name,
        document.source,
        "/unduh/",
        "/media/",
    ):
        assert secret not in html
    # An anonymous visitor sees no menu that needs a login.
    assert "Keluar" not in html
    assert "Kotak masuk" not in html


def test_the_code_is_read_as_typed_by_hand(client, document):
    typed = f" {document.code[:4].lower()}-{document.code[4:7]} {document.code[7:].lower()}"
    response = client.get(verify_url(typed))
    assert response.status_code == 302
    assert response.url == verify_url(document.code)
    assert client.get(response.url).status_code == 200
    assert normalize_code("k7m2-xq9p b4\n") == "K7M2XQ9PB4"


def test_an_unknown_code_answers_404_with_a_clear_page(client, document):
    response = client.get(verify_url("ZZZZZZZZZZ"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Kode verifikasi tidak dikenal" in html
    assert "<code>ZZZZZZZZZZ</code>" in html
    assert "Surat Permohonan Data" not in html
    assert 'action="/verifikasi/"' in html


def test_an_unknown_code_escapes_what_was_typed(client, db):
    # A GET is redirected to the code's letters and digits; a POST shows the code as typed.
    response = client.post("/verifikasi/%3Cb%3Ekode/")
    assert response.status_code == 404
    assert "&lt;b&gt;kode" in response.content.decode()


def check_copy(client, document, content, name="salinan.pdf"):
    return client.post(
        verify_url(document.code), {"file": SimpleUploadedFile(name, content, "application/pdf")}
    )


def test_a_byte_identical_copy_is_identical(client, document, media_root):
    files_before = sorted(p for p in media_root.rglob("*") if p.is_file())
    response = check_copy(client, document, CONTENT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Salinan identik" in html
    assert "TIDAK sama" not in html
    # The copy was only hashed, never kept.
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files_before


def test_a_copy_with_one_byte_changed_does_not_match(client, document):
    changed = bytearray(CONTENT)
    changed[1000] ^= 1
    response = check_copy(client, document, bytes(changed))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Salinan TIDAK sama dengan dokumen asli" in html
    assert "Salinan identik" not in html
    assert hashlib.sha256(CONTENT).hexdigest() in html
    assert hashlib.sha256(bytes(changed)).hexdigest() in html


def test_a_large_copy_is_hashed_in_chunks(client, document):
    # Larger than FILE_UPLOAD_MAX_MEMORY_SIZE and than many 64 KB chunks.
    large = bytes(range(256)) * (12 * 1024 * 4)  # 12 MB
    response = check_copy(client, document, large)
    assert "Salinan TIDAK sama dengan dokumen asli" in response.content.decode()
    assert hashlib.sha256(large).hexdigest() in response.content.decode()


def test_a_copy_over_the_limit_is_refused(client, document, monkeypatch):
    monkeypatch.setattr("documents.verification.MAX_COPY_BYTES", 1000)
    response = check_copy(client, document, CONTENT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Berkas terlalu besar untuk diperiksa di sini (maksimal 100 MB)." in html
    assert "Salinan identik" not in html
    assert "TIDAK sama" not in html


def test_an_empty_copy_is_refused(client, document):
    response = check_copy(client, document, b"")
    assert "Salinan" in response.content.decode()
    assert "Salinan identik" not in response.content.decode()
    assert "errorlist" in response.content.decode()


def test_checking_a_copy_needs_the_csrf_token(document):
    client = Client(enforce_csrf_checks=True)
    response = check_copy(client, document, CONTENT)
    assert response.status_code == 403

    page = client.get(verify_url(document.code))
    token = page.cookies["csrftoken"].value
    response = client.post(
        verify_url(document.code),
        {"file": SimpleUploadedFile("salinan.pdf", CONTENT), "csrfmiddlewaretoken": token},
    )
    assert "Salinan identik" in response.content.decode()


def test_the_lookup_page_goes_to_the_code(client, document):
    assert client.get(reverse("document_verify_lookup")).status_code == 200
    response = client.get(reverse("document_verify_lookup"), {"kode": document.code.lower()})
    assert response.status_code == 302
    assert response.url == verify_url(document.code)
    response = client.get(reverse("document_verify_lookup"), {"kode": " -- "})
    assert response.status_code == 200
    assert "Kode verifikasi terdiri dari huruf dan angka." in response.content.decode()


def test_the_verify_page_queries(client, document, django_assert_num_queries):
    # The document, and a newer version of it.
    with django_assert_num_queries(2):
        client.get(verify_url(document.code))


def test_an_older_version_names_the_version_that_replaced_it(client, document, make_document):
    newer = make_document(CONTENT + b" diperbaiki", cycle=document.cycle)
    Document.objects.filter(pk=newer.pk).update(
        generated_at=datetime.datetime(2026, 11, 25, 2, 0, tzinfo=datetime.UTC)
    )
    old_page = client.get(verify_url(document.code)).content.decode()
    new_page = client.get(verify_url(newer.code)).content.decode()
    assert newer.version == 2
    assert (
        "Ini versi 1; digantikan oleh versi 2 (25 November 2026). Versi ini tetap sah sebagai "
        "dokumen yang diterbitkan pada tanggalnya."
    ) in old_page
    assert "digantikan" not in new_page
