"""Pengaturan instansi: the kop lines, contacts and the coat of arms, checked by content."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEvent
from documents.letters import institution_fields, letterhead_logo
from institutions.services import settings as institution_settings
from institutions.services.settings import check_logo


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(size=(120, 140), color=(20, 120, 60, 255), format="PNG"):
    buffer = io.BytesIO()
    Image.new(
        "RGBA" if format == "PNG" else "RGB", size, color[: 4 if format == "PNG" else 3]
    ).save(buffer, format=format)
    return buffer.getvalue()


def upload(data, name="lambang.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10" fill="#060"/></svg>'
)


def refusal(data, name="lambang.png"):
    with pytest.raises(ValidationError) as error:
        check_logo(upload(data, name))
    return error.value.message_dict["logo"]


def test_a_real_png_is_accepted():
    data = png_bytes()
    assert check_logo(upload(data, "LOGO.PNG")) == (data, "png")


def test_a_clean_svg_is_accepted():
    gradient = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="5" height="5"/>'
        '<use xlink:href="#g"/><image href="data:image/png;base64,AAAA"/></svg>'
    )
    assert check_logo(upload(gradient.encode(), "lambang.svg")) == (gradient.encode(), "svg")


def test_refusals_name_what_is_wrong():
    jpeg = png_bytes(format="JPEG")
    assert refusal(jpeg, "lambang.png") == ["Lambang harus berupa gambar PNG atau SVG."]
    assert refusal(b"%PDF-1.7\n...", "lambang.png") == ["Lambang harus berupa gambar PNG atau SVG."]
    assert refusal(b"<svg", "lambang.svg") == ["Lambang harus berupa gambar PNG atau SVG."]
    script = SVG.replace("</svg>", "<script>alert(1)</script></svg>")
    assert refusal(script.encode(), "lambang.svg") == [
        "SVG lambang tidak boleh memuat skrip (<script>)."
    ]
    onload = SVG.replace('width="10"', 'onload="alert(1)" width="10"', 1)
    assert refusal(onload.encode(), "lambang.svg") == [
        "SVG lambang tidak boleh memuat atribut peristiwa (onload)."
    ]
    foreign = SVG.replace("</svg>", "<foreignObject><p>x</p></foreignObject></svg>")
    assert refusal(foreign.encode(), "lambang.svg") == [
        "SVG lambang tidak boleh memuat <foreignObject>."
    ]
    external = SVG.replace("</svg>", '<image href="https://contoh.id/a.png"/></svg>')
    assert refusal(external.encode(), "lambang.svg") == [
        "SVG lambang tidak boleh merujuk berkas lain (https://contoh.id/a.png)."
    ]
    styled = SVG.replace("</svg>", "<style>rect { fill: url(file:///etc/passwd) }</style></svg>")
    assert refusal(styled.encode(), "lambang.svg") == [
        "SVG lambang tidak boleh merujuk berkas lain (file:///etc/passwd)."
    ]
    entity = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]>' + SVG
    assert refusal(entity.encode(), "lambang.svg") == [
        "SVG lambang tidak boleh memuat deklarasi DOCTYPE atau ENTITY."
    ]
    html = b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert refusal(html, "lambang.svg") == ["Berkas SVG lambang harus berakar pada elemen <svg>."]
    assert refusal(png_bytes()[:60], "lambang.png") == [
        "Berkas PNG lambang rusak atau tidak dapat dibaca."
    ]


def test_oversize_files_are_refused():
    assert refusal(png_bytes(size=(4001, 10))) == [
        "Gambar lambang paling besar 4000 × 4000 piksel (berkas ini 4001 × 10)."
    ]
    big = png_bytes() + b"\0" * (2 * 1024 * 1024)
    assert refusal(big) == ["Berkas lambang melebihi 2 MB."]


def test_update_settings_stores_the_logo_under_a_generated_name(
    institution, admin_user, django_capture_on_commit_callbacks
):
    first = png_bytes()
    institution_settings.update_settings(
        institution,
        by=admin_user,
        values={"letterhead": "PEMERINTAH KOTA PONTIANAK", "phone": "(0561) 733041"},
        logo=upload(first, "../../lambang kota.png"),
    )
    institution.refresh_from_db()
    name = institution.logo.name
    assert re.fullmatch(r"institutions/logo/[0-9a-f]{32}\.png", name)
    with institution.logo.open("rb") as handle:
        assert handle.read() == first
    events = list(
        AuditEvent.objects.filter(action__startswith="institution.")
        .order_by("pk")
        .values_list("action", "before", "after")
    )
    assert events == [
        (
            "institution.updated",
            {
                "letterhead": "PEMERINTAH KOTA PONTIANAK\nDINAS KOMUNIKASI DAN INFORMATIKA",
                "phone": "",
            },
            {"letterhead": "PEMERINTAH KOTA PONTIANAK", "phone": "(0561) 733041"},
        ),
        (
            "institution.logo_changed",
            {"logo": False},
            {"logo": True, "type": "png", "size": len(first)},
        ),
    ]
    assert institution_fields(institution)["logo"].startswith("data:image/png;base64,iVBORw0KGgo")

    # A new logo replaces the file; removing it deletes the file and records the removal.
    storage = institution.logo.storage
    with django_capture_on_commit_callbacks(execute=True):
        institution_settings.update_settings(
            institution, by=admin_user, values={}, logo=upload(SVG.encode(), "x.svg")
        )
    institution.refresh_from_db()
    assert institution.logo.name.endswith(".svg")
    assert not storage.exists(name)
    assert letterhead_logo(institution).startswith("data:image/svg+xml;base64,")
    svg_name = institution.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        institution_settings.remove_logo(institution, by=admin_user)
    institution.refresh_from_db()
    assert (institution.logo.name, storage.exists(svg_name)) == ("", False)
    assert institution_fields(institution)["logo"] == ""
    assert AuditEvent.objects.filter(action="institution.logo_removed").count() == 1


def test_a_refused_logo_writes_nothing(institution, admin_user):
    with pytest.raises(ValidationError):
        institution_settings.update_settings(
            institution,
            by=admin_user,
            values={"phone": "123"},
            logo=upload(png_bytes(format="JPEG")),
        )
    institution.refresh_from_db()
    assert (institution.phone, institution.logo.name) == ("", "")
    assert not AuditEvent.objects.filter(action__startswith="institution.").exists()


# --- The page -----------------------------------------------------------------------------


def settings_url(institution):
    return reverse("institution_settings", args=[institution.pk])


def test_the_admin_edits_the_settings_and_uploads_a_logo(client, institution, admin_user):
    client.force_login(admin_user)
    response = client.get(settings_url(institution))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Belum ada lambang: kop dokumen dicetak tanpa lambang." in html
    # The menu leads here, for the administrator.
    assert f'<a href="{settings_url(institution)}">Pengaturan instansi</a>' in html

    response = client.post(
        settings_url(institution),
        {
            "letterhead": "PEMERINTAH KOTA PONTIANAK\nSEKRETARIAT DAERAH",
            "address": "Jalan Rahadi Usman Nomor 3",
            "city": "Pontianak",
            "phone": "(0561) 733041",
            "email": "setda@pontianak.go.id",
            "website": "pontianak.go.id",
            "logo": upload(png_bytes()),
        },
    )
    assert (response.status_code, response.url) == (302, settings_url(institution))
    institution.refresh_from_db()
    assert institution.letterhead_lines == ["PEMERINTAH KOTA PONTIANAK", "SEKRETARIAT DAERAH"]
    assert institution.email == "setda@pontianak.go.id"
    html = client.get(settings_url(institution)).content.decode()
    assert "Pengaturan instansi disimpan." in html
    assert '<img src="data:image/png;base64,' in html
    assert "Hapus lambang" in html

    response = client.post(reverse("institution_logo_remove", args=[institution.pk]))
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.logo.name == ""


def test_a_refused_upload_keeps_what_was_typed(client, institution, admin_user):
    client.force_login(admin_user)
    onload = SVG.replace('width="10"', 'onload="alert(1)" width="10"', 1)
    response = client.post(
        settings_url(institution),
        {
            "letterhead": "PEMERINTAH KOTA PONTIANAK\nSEKRETARIAT DAERAH",
            "phone": "(0561) 999",
            "logo": upload(onload.encode(), "lambang.svg", "image/svg+xml"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "SVG lambang tidak boleh memuat atribut peristiwa (onload)." in html
    assert "PEMERINTAH KOTA PONTIANAK\nSEKRETARIAT DAERAH</textarea>" in html
    assert 'value="(0561) 999"' in html
    institution.refresh_from_db()
    assert (institution.phone, institution.logo.name) == ("", "")


def test_an_svg_logo_is_said_to_stay_out_of_word(client, institution, admin_user):
    institution_settings.update_settings(
        institution, by=admin_user, values={}, logo=upload(SVG.encode(), "l.svg")
    )
    client.force_login(admin_user)
    html = client.get(settings_url(institution)).content.decode()
    assert "Lambang SVG hanya tampil pada PDF; dokumen Word dicetak tanpa lambang." in html


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "leader", "agency_user"])
def test_other_roles_get_404(request, client, institution, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(settings_url(institution)).status_code == 404
    remove = reverse("institution_logo_remove", args=[institution.pk])
    assert client.post(remove).status_code == 404
    html = client.get(reverse("home")).content.decode()
    assert "Pengaturan instansi" not in html


def test_another_institutions_admin_gets_404(client, institution, outsider):
    client.force_login(outsider)
    assert client.get(settings_url(institution)).status_code == 404
    response = client.post(settings_url(institution), {"phone": "1", "logo": upload(png_bytes())})
    assert response.status_code == 404
    assert client.post(reverse("institution_logo_remove", args=[institution.pk])).status_code == 404
    institution.refresh_from_db()
    assert (institution.phone, institution.logo.name) == ("", "")
    # Their own institution's page is theirs.
    assert client.get(settings_url(outsider.institution)).status_code == 200


def test_the_demo_logo_passes_the_checks(institution, admin_user):
    from institutions.data import demo_logo_upload

    institution_settings.update_settings(
        institution, by=admin_user, values={}, logo=demo_logo_upload()
    )
    institution.refresh_from_db()
    assert institution.logo.name.endswith(".png")
    assert AuditEvent.objects.get(action="institution.logo_changed").actor == admin_user


@pytest.mark.parametrize("persona", ["coordinator", "outsider"])
def test_only_the_institutions_administrator_changes_its_settings(
    request, institution, admin_user, persona
):
    institution_settings.update_settings(
        institution, by=admin_user, values={}, logo=upload(png_bytes())
    )
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        institution_settings.update_settings(institution, by=user, values={"phone": "123"})
    with pytest.raises(PermissionDenied):
        institution_settings.remove_logo(institution, by=user)
    institution.refresh_from_db()
    assert institution.phone == "" and institution.logo.name != ""


def test_a_logo_gone_from_the_storage_prints_none(institution, admin_user):
    institution_settings.update_settings(
        institution, by=admin_user, values={}, logo=upload(png_bytes())
    )
    institution.logo.storage.delete(institution.logo.name)
    fresh = type(institution).objects.get(pk=institution.pk)
    assert fresh.logo.name != ""
    assert institution_fields(fresh)["logo"] == ""
