"""The evaluator team's decree pages: who reads, who keeps it, 404 for the others; the
cycle page's section and the SOP sheet's Keterkaitan; queries constant in members."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cycles import team
from cycles.models import TeamDecree, TeamMember
from cycles.tests.conftest import TITLE, a_pdf

CITATION = (
    "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim Koordinasi dan "
    "Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kota Pontianak"
)


def add(decree, by, n=1, **extra):
    for i in range(n):
        team.add_member(
            decree,
            by=by,
            name=f"Anggota {i + 1}",
            nip=f"1980010120050110{i:02d}",
            role=TeamMember.Role.ANGGOTA,
            group=TeamMember.Group.EVALUATORS,
            **extra,
        )


def url(cycle, name="team_decree", *args):
    return reverse(name, args=[cycle.pk, *args])


@pytest.mark.parametrize("role", ["coordinator", "admin_user"])
def test_keepers_see_the_forms(request, client, decree, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(decree.cycle))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="sk-form"' in html and 'id="anggota-form"' in html and 'id="sk-konfirmasi"' in html


@pytest.mark.parametrize("role", ["supervisor", "secretariat", "evaluator", "leader"])
def test_readers_see_no_forms(request, client, decree, coordinator, role):
    add(decree, coordinator)
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(decree.cycle))
    html = response.content.decode()
    assert response.status_code == 200
    assert "162/DKI/Tahun 2020" in html and "Anggota 1" in html
    assert "sk-form" not in html and "anggota-form" not in html and "sk-konfirmasi" not in html
    post = client.post(url(decree.cycle, "team_decree_confirm"))
    assert post.status_code == 404
    assert TeamDecree.objects.get(pk=decree.pk).status == TeamDecree.Status.DRAFT


@pytest.mark.parametrize("role", ["agency_user", "outsider"])
def test_operators_and_other_institutions_get_404(request, client, decree, coordinator, role):
    add(decree, coordinator)
    team.upload_decree_pdf(decree, SimpleUploadedFile("sk.pdf", a_pdf()), by=coordinator)
    member = decree.members.get()
    client.force_login(request.getfixturevalue(role))
    cycle = decree.cycle
    assert client.get(url(cycle)).status_code == 404
    assert client.get(url(cycle, "team_decree_download")).status_code == 404
    assert client.post(url(cycle, "team_decree_confirm")).status_code == 404
    assert client.post(url(cycle, "team_member_remove", member.pk)).status_code == 404
    assert client.get(url(cycle, "team_member_edit", member.pk)).status_code == 404
    assert decree.members.count() == 1


def test_the_whole_flow_through_the_pages(client, cycle, coordinator, evaluator, agency):
    client.force_login(coordinator)
    page = client.get(url(cycle)).content.decode()
    assert 'value="Wali Kota Pontianak"' in page  # the default issuer
    assert TITLE in page  # the default title
    response = client.post(
        url(cycle, "team_decree_save"),
        {
            "issuer": "Wali Kota Pontianak",
            "number": "162/DKI/Tahun 2020",
            "date": "2020-03-02",
            "title": TITLE,
        },
    )
    assert response.status_code == 302
    client.post(
        url(cycle, "team_member_add"),
        {"user": evaluator.pk, "agency": agency.pk, "role": "anggota", "group": "pokja"},
    )
    client.post(
        url(cycle, "team_member_add"),
        {
            "name": "Ir. Mulyadi, M.T.",
            "nip": "19700101 199501 1 001",
            "position": "Sekretaris Daerah",
            "role": "pengarah",
            "group": "koordinasi",
        },
    )
    response = client.post(url(cycle, "team_member_add"), {"role": "anggota", "group": "pokja"})
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == "Periksa isian anggota: Isi nama anggota atau pilih akun pengguna."
    bad = client.post(
        url(cycle, "team_decree_upload"),
        {"signed_pdf": SimpleUploadedFile("sk.pdf", b"<html>not a pdf</html>")},
    )
    assert [str(m) for m in bad.wsgi_request._messages][-1] == "Berkas tanda tangan harus PDF."
    client.post(
        url(cycle, "team_decree_upload"), {"signed_pdf": SimpleUploadedFile("sk.pdf", a_pdf())}
    )
    client.post(url(cycle, "team_decree_confirm"))
    decree = TeamDecree.objects.get(cycle=cycle)
    assert decree.status == TeamDecree.Status.CONFIRMED
    assert [(m.name, m.role, m.user_id) for m in decree.members.all()] == [
        ("Ir. Mulyadi, M.T.", "pengarah", None),
        ("Eko Evaluator", "anggota", evaluator.pk),
    ]
    page = client.get(url(cycle)).content.decode()
    assert CITATION in page
    download = client.get(url(cycle, "team_decree_download"))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == decree.signed_file_sha256
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="sk-tim-evaluator-162dkitahun-2020.pdf"' in download["Content-Disposition"]
    # Edit a member: the decree goes back to draft.
    member = decree.members.get(role="pengarah")
    edit = client.get(url(cycle, "team_member_edit", member.pk))
    assert 'value="Ir. Mulyadi, M.T."' in edit.content.decode()
    client.post(
        url(cycle, "team_member_edit", member.pk),
        {
            "name": "Ir. Mulyadi, M.T.",
            "nip": "19700101 199501 1 001",
            "position": "Sekretaris Daerah Kota Pontianak",
            "role": "pengarah",
            "group": "koordinasi",
        },
    )
    member.refresh_from_db()
    assert (member.position, member.order) == ("Sekretaris Daerah Kota Pontianak", 1)
    assert TeamDecree.objects.get(cycle=cycle).status == TeamDecree.Status.DRAFT
    client.post(url(cycle, "team_member_remove", member.pk))
    assert list(decree.members.values_list("name", flat=True)) == ["Eko Evaluator"]


def test_member_of_another_cycle_is_404(client, decree, coordinator, framework, agency):
    from cycles import services

    add(decree, coordinator)
    other = services.open_cycle(
        by=coordinator,
        year=2027,
        framework=framework,
        agencies=[agency],
        deadline=datetime.date(2027, 12, 15),
        contact_person=coordinator,
    )
    member = decree.members.get()
    client.force_login(coordinator)
    assert client.get(url(other, "team_member_edit", member.pk)).status_code == 404


def test_cycle_page_section(client, cycle, coordinator, agency_user, leader):
    client.force_login(coordinator)
    html = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert 'id="tim-evaluator"' in html and "Catat SK tim evaluator" in html
    assert 'id="keterkaitan-sk"' in html
    client.force_login(agency_user)
    html = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert 'id="tim-evaluator"' not in html and 'id="keterkaitan-sk"' not in html


def test_sop_sheet_links_the_confirmed_decree(client, decree, coordinator, leader):
    add(decree, coordinator)
    team.confirm_decree(decree, by=coordinator)
    cycle = decree.cycle
    client.force_login(leader)
    html = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    link = f'<a href="{url(cycle)}">{CITATION}</a>'
    assert link in html
    sheet = client.get(reverse("sop_detail", args=[cycle.sop_id]) + f"?periode={cycle.pk}")
    assert link in sheet.content.decode()
    plain = client.get(reverse("sop_detail", args=[cycle.sop_id]))
    assert 'id="keterkaitan-sk"' not in plain.content.decode()


def test_sop_sheet_for_a_cycle_only_for_its_readers(client, decree, coordinator, agency_user):
    cycle = decree.cycle
    sheet = reverse("sop_detail", args=[cycle.sop_id])
    client.force_login(agency_user)  # sees the cycle, not its decree
    response = client.get(f"{sheet}?periode={cycle.pk}")
    assert response.status_code == 200
    assert 'id="keterkaitan-sk"' not in response.content.decode()
    client.force_login(coordinator)
    assert client.get(f"{sheet}?periode={cycle.pk + 100}").status_code == 404
    html = client.get(f"{sheet}?periode={cycle.pk}").content.decode()
    assert "SK tim evaluator Monev SPBE 2026:" in html and "belum dikonfirmasi" in html


@pytest.mark.parametrize("members", [1, 25])
def test_decree_page_queries_do_not_grow(
    client, decree, coordinator, evaluator, agency, members, django_assert_num_queries
):
    """Session, user, cycle, roles, the menu badge's waiting work (as every page), the
    decree and its members (one query with their OPDs and accounts), the form's choices."""
    add(decree, coordinator, n=members, agency=agency, user=evaluator)
    client.force_login(coordinator)
    client.get(url(decree.cycle))
    with django_assert_num_queries(10):
        response = client.get(url(decree.cycle))
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="anggota-') == members


def test_closed_cycle_shows_the_decree_without_forms(client, decree, coordinator):
    from cycles.models import StepRun

    add(decree, coordinator)
    StepRun.objects.filter(cycle=decree.cycle, number=8).update(
        status=StepRun.Status.DONE, finished_at=datetime.datetime(2026, 12, 20, tzinfo=datetime.UTC)
    )
    client.force_login(coordinator)
    html = client.get(url(decree.cycle)).content.decode()
    assert 'id="tim-beku"' in html and "Periode Monev SPBE 2026 sudah selesai" in html
    assert "sk-form" not in html and "anggota-form" not in html and "member-actions" not in html
    response = client.post(url(decree.cycle, "team_decree_confirm"))
    assert [str(m) for m in response.wsgi_request._messages][-1].startswith(
        "Periode Monev SPBE 2026 sudah selesai"
    )
    assert TeamDecree.objects.get(pk=decree.pk).status == TeamDecree.Status.DRAFT
