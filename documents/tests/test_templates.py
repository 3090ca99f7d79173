import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocumentTemplate


def word_file(*paragraphs, name="kop.docx"):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_admin_puts_an_own_template_in_use(client, admin_user):
    client.force_login(admin_user)
    upload = word_file("KOP KHUSUS {{ institution.name }}", "Nomor: {{ number_text }}")
    response = client.post(reverse("letter_template"), {"file": upload})
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert (template.institution, template.original_name) == (admin_user.institution, "kop.docx")
    assert "kop.docx" in client.get(reverse("letter_template")).content.decode()


def test_a_broken_template_is_refused_and_the_previous_stays(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("letter_template"), {"file": word_file("{{ institution.name }}")})
    response = client.post(
        reverse("letter_template"), {"file": word_file("Nomor: {{ number_text", name="rusak.docx")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" in html
    assert [t.original_name for t in DocumentTemplate.objects.all()] == ["kop.docx"]


def test_a_template_cannot_reach_python_internals(client, admin_user):
    client.force_login(admin_user)
    upload = word_file("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    client.post(reverse("letter_template"), {"file": upload})
    assert DocumentTemplate.objects.count() == 0


@pytest.mark.parametrize("persona", ["supervisor", "agency_user", "evaluator"])
def test_only_admins_and_coordinators_manage_templates(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("letter_template")).status_code == 404
