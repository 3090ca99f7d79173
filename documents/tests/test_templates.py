"""The pages where an institution's administrator or coordinator replaces Word templates."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import kinds
from documents.letters import LETTER_TEMPLATE
from documents.models import DocumentTemplate
from documents.services import upload_template


def word_file(*paragraphs, name="kop.docx"):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def kind_url(kind="letter"):
    return reverse("template_kind", args=[kind])


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_admin_puts_an_own_template_in_use(client, admin_user):
    client.force_login(admin_user)
    upload = word_file("KOP KHUSUS {{ institution.name }}", "Nomor: {{ number_text }}")
    response = client.post(kind_url(), {"file": upload})
    assert response.status_code == 302
    assert response.url == kind_url()
    template = DocumentTemplate.objects.get()
    assert (template.institution, template.kind, template.original_name) == (
        admin_user.institution,
        "letter",
        "kop.docx",
    )
    html = client.get(response.url).content.decode()
    assert "Templat Surat instansi dipakai mulai sekarang." in html
    assert "<strong>kop.docx</strong>, diunggah Admin Diskominfo" in html
    assert reverse("template_file", args=[template.pk]) in html


def test_a_broken_template_is_refused_and_the_previous_stays(client, coordinator):
    client.force_login(coordinator)
    client.post(kind_url(), {"file": word_file("{{ institution.name }}")})
    response = client.post(
        kind_url(), {"file": word_file("Nomor: {{ number_text", name="rusak.docx")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Templat tidak dipakai. Perbaiki kesalahan di bawah" in html
    assert "Kesalahan penulisan tag Jinja" in html
    assert "<strong>kop.docx</strong>" in html
    assert [t.original_name for t in DocumentTemplate.objects.all()] == ["kop.docx"]


def test_a_template_cannot_reach_python_internals(client, admin_user):
    client.force_login(admin_user)
    upload = word_file("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    response = client.post(kind_url(), {"file": upload})
    assert "tidak diizinkan" in response.content.decode()
    assert DocumentTemplate.objects.count() == 0


def test_the_list_shows_every_kind_with_the_one_in_use(client, coordinator):
    upload_template(
        coordinator.institution,
        by=coordinator,
        kind="letter",
        uploaded_file=word_file("{{ subject }}", name="surat-kota.docx"),
    )
    client.force_login(coordinator)
    html = client.get(reverse("template_list")).content.decode()
    for kind in kinds.all_kinds():
        assert str(kind.label) in html
        assert reverse("template_default", args=[kind.key]) in html
        assert kind_url(kind.key) in html
    assert "surat-kota.docx" in html
    assert "diunggah Rina Koordinator" in html
    assert "riwayat: 1 unggahan" in html


def test_the_list_queries_do_not_grow_with_uploads(client, coordinator, django_assert_num_queries):
    def upload(n):
        for i in range(n):
            upload_template(
                coordinator.institution,
                by=coordinator,
                kind="letter",
                uploaded_file=word_file("{{ subject }}", name=f"t{i}.docx"),
            )

    client.force_login(coordinator)
    upload(1)
    # The user is read with their institution in one query (UserBackend).
    with django_assert_num_queries(6) as one:
        client.get(reverse("template_list"))
    upload(10)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(reverse("template_list")).content.decode()
    assert "t9.docx" in html


def test_the_kind_page_documents_placeholders_and_history(client, coordinator):
    for name in ("lama.docx", "baru.docx"):
        upload_template(
            coordinator.institution,
            by=coordinator,
            kind="letter",
            uploaded_file=word_file("{{ subject }}", name=name),
        )
    client.force_login(coordinator)
    html = client.get(kind_url()).content.decode()
    assert "<code>{{ number_text }}</code>" in html
    assert "nomor surat, atau ……. (draf) sebelum bernomor" in html
    history = html[html.index('id="riwayat"') :]
    assert history.index("baru.docx") < history.index("lama.docx")


def test_downloads_of_default_and_uploaded_templates(client, coordinator):
    template = upload_template(
        coordinator.institution,
        by=coordinator,
        kind="letter",
        uploaded_file=word_file("{{ subject }}", name="kop.docx"),
    )
    client.force_login(coordinator)
    response = client.get(reverse("template_default", args=["letter"]))
    assert response["Content-Disposition"] == (
        'attachment; filename="templat-letter-monev-spbe.docx"'
    )
    assert downloaded(response) == LETTER_TEMPLATE.read_bytes()
    response = client.get(reverse("template_file", args=[template.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="kop.docx"'
    assert [p.text for p in docx.Document(io.BytesIO(downloaded(response))).paragraphs] == [
        "{{ subject }}"
    ]


def test_the_first_addresses_still_work(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("letter_template"))
    assert (response.status_code, response.url) == (302, kind_url("letter"))
    response = client.get(reverse("default_letter_template"))
    assert downloaded(response) == LETTER_TEMPLATE.read_bytes()


def test_an_unknown_kind_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(kind_url("surat_cinta")).status_code == 404
    assert client.get(reverse("template_default", args=["surat_cinta"])).status_code == 404


@pytest.mark.parametrize("persona", ["supervisor", "agency_user", "evaluator", "leader"])
def test_only_admins_and_coordinators_manage_templates(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("template_list"),
        kind_url(),
        reverse("template_default", args=["letter"]),
        reverse("letter_template"),
    ):
        response = client.get(url)
        assert response.status_code in (404, 302)
        if response.status_code == 302:
            assert client.get(response.url).status_code == 404


def test_another_institutions_template_is_404(client, coordinator, outsider):
    template = upload_template(
        coordinator.institution,
        by=coordinator,
        kind="letter",
        uploaded_file=word_file("{{ subject }}"),
    )
    client.force_login(outsider)
    assert client.get(reverse("template_file", args=[template.pk])).status_code == 404
    # The outsider's own page shows its own state only.
    assert "kop.docx" not in client.get(reverse("template_list")).content.decode()


def test_templates_need_a_login(client, db):
    response = client.get(reverse("template_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
