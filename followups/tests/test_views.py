"""The findings page, the follow-up list and a follow-up's page: who sees what, the forms
with and without HTMX, and the query counts."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cycles import services as cycle_services
from followups import services
from followups.models import Finding, FollowUp
from institutions.models import Agency

Kind = Finding.Kind


def text_of(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def findings_url(cycle):
    return reverse("findings", args=[cycle.pk])


def list_url(cycle):
    return reverse("follow_up_list", args=[cycle.pk])


def detail_url(follow_up):
    return reverse("follow_up_detail", args=[follow_up.pk])


# --- Access ---------------------------------------------------------------------------------


def test_another_institution_gets_404_everywhere(client, cycle, follow_up, outsider, aspects):
    client.force_login(outsider)
    finding = follow_up.recommendation

    gets = [client.get(url).status_code for url in (findings_url(cycle), list_url(cycle))]
    gets.append(client.get(detail_url(follow_up)).status_code)
    posts = [
        client.post(reverse("finding_add", args=[cycle.pk]), {"aspect": aspects[0].pk}),
        client.post(reverse("finding_edit", args=[finding.pk]), {"text": "x"}),
        client.post(reverse("finding_delete", args=[finding.pk])),
        client.post(reverse("follow_up_create", args=[finding.pk])),
        client.post(detail_url(follow_up), {"status": "selesai"}),
    ]

    assert gets == [404, 404, 404]
    assert [response.status_code for response in posts] == [404, 404, 404, 404, 404]
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN


def test_opd_operators_see_only_their_own_follow_ups(
    client, cycle, follow_up, agency_user, other_agency_user, coordinator, other_agency, due
):
    other = services.create_follow_up(
        follow_up.recommendation, by=coordinator, agency=other_agency, due_date=due
    )
    client.force_login(other_agency_user)

    own_page = client.get(detail_url(other))
    foreign_page = client.get(detail_url(follow_up))
    foreign_post = client.post(detail_url(follow_up), {"status": "selesai", "note": ""})
    listing = client.get(list_url(cycle))
    findings = client.get(findings_url(cycle))

    assert (own_page.status_code, foreign_page.status_code, foreign_post.status_code) == (
        200,
        404,
        404,
    )
    assert list(listing.context["originated"]) == [other]
    assert listing.context["summary"] == []
    assert findings.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN


def test_supervisor_reads_findings_but_cannot_write(client, cycle, supervisor, aspects, follow_up):
    client.force_login(supervisor)

    page = client.get(findings_url(cycle))
    add = client.post(
        reverse("finding_add", args=[cycle.pk]),
        {"aspect": aspects[0].pk, "kind": "kekuatan", "text": "x"},
    )
    create = client.post(reverse("follow_up_create", args=[follow_up.recommendation.pk]))
    update = client.post(detail_url(follow_up), {"status": "selesai", "note": ""})

    assert page.status_code == 200
    assert "Halaman ini hanya untuk dibaca" in text_of(page)
    assert "Tambah kekuatan" not in text_of(page)
    assert (add.status_code, create.status_code, update.status_code) == (404, 404, 404)
    assert client.get(detail_url(follow_up)).context["show_form"] is False


def test_evaluator_writes_findings_but_does_not_create_follow_ups(
    client, cycle, evaluator, follow_up
):
    client.force_login(evaluator)

    page = text_of(client.get(findings_url(cycle)))
    create = client.post(reverse("follow_up_create", args=[follow_up.recommendation.pk]))

    assert "Tambah kekuatan" in page
    assert "Jadikan tindak lanjut" not in page
    assert create.status_code == 404


# --- Findings page --------------------------------------------------------------------------


def test_findings_page_groups_aspects_by_domain(client, cycle, coordinator, aspects):
    services.add_finding(
        cycle, by=coordinator, aspect=aspects[4], kind=Kind.WEAKNESS, text="Belum ada PDN."
    )
    client.force_login(coordinator)

    page = text_of(client.get(findings_url(cycle)))

    assert page.index("Domain 1. Kebijakan Internal SPBE") < page.index("Aspek 1.")
    assert page.index("Domain 3.") < page.index("Aspek 5.") < page.index("Belum ada PDN.")
    assert page.index("Belum ada PDN.") < page.index("Aspek 6.")


def test_add_edit_delete_a_finding_by_plain_post(client, cycle, coordinator, aspects):
    client.force_login(coordinator)

    added = client.post(
        reverse("finding_add", args=[cycle.pk]),
        {"aspect": aspects[1].pk, "kind": "kelemahan", "text": "Belum ada Arsitektur SPBE."},
    )
    finding = Finding.objects.get()
    edited = client.post(
        reverse("finding_edit", args=[finding.pk]), {"text": "Arsitektur SPBE belum ditetapkan."}
    )
    page = text_of(client.get(findings_url(cycle)))
    deleted = client.post(reverse("finding_delete", args=[finding.pk]), follow=True)

    anchor = f"{findings_url(cycle)}#aspek-{aspects[1].code}"
    assert (added.status_code, added["Location"]) == (302, anchor)
    assert (edited.status_code, edited["Location"]) == (302, anchor)
    assert "Arsitektur SPBE belum ditetapkan." in page
    assert "Kelemahan dihapus." in text_of(deleted)
    assert Finding.objects.count() == 0


def test_a_refused_finding_keeps_the_text_and_says_why(client, cycle, coordinator, aspects):
    client.force_login(coordinator)

    response = client.post(
        reverse("finding_add", args=[cycle.pk]),
        {"aspect": aspects[1].pk, "kind": "kekuatan", "text": "   "},
    )

    assert response.status_code == 200
    assert "Tulis uraian temuan." in text_of(response)
    assert response.context["failed"]["aspect"] == aspects[1].pk


def test_htmx_add_returns_only_the_aspect_section(client, cycle, coordinator, aspects):
    client.force_login(coordinator)

    response = client.post(
        reverse("finding_add", args=[cycle.pk]),
        {"aspect": aspects[2].pk, "kind": "rekomendasi", "text": "Bangun Pusat Data."},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(
        f'<section class="card findings-aspect" id="aspek-{aspects[2].code}"'
    )
    assert "<html" not in body
    assert "Rekomendasi ditambahkan." in text_of(response)
    assert "Bangun Pusat Data." in text_of(response)


def test_turn_a_recommendation_into_a_follow_up(
    client, cycle, coordinator, recommendation, agency, agency_user, due
):
    client.force_login(coordinator)
    url = reverse("follow_up_create", args=[recommendation.pk])

    past = client.post(
        url, {"agency": agency.pk, "due_date": "2020-01-01", "description": "Teks saya."}
    )
    created = client.post(url, {"agency": agency.pk, "due_date": due.isoformat()}, follow=True)

    assert "Batas waktu tidak boleh sebelum hari ini" in text_of(past)
    assert past.context["failed"]["description"] == "Teks saya."
    follow_up = FollowUp.objects.get()
    assert (follow_up.agency, follow_up.due_date, follow_up.description) == (
        agency,
        due,
        recommendation.text,
    )
    page = text_of(created)
    assert "Tindak lanjut untuk BKPSDM dibuat; operatornya menerima pemberitahuan." in page
    assert "Tindak lanjut BKPSDM terbuka" in page


def test_follow_up_form_without_an_agency_says_so(client, coordinator, recommendation, due):
    client.force_login(coordinator)

    response = client.post(
        reverse("follow_up_create", args=[recommendation.pk]),
        {"agency": "", "due_date": due.isoformat()},
        headers={"HX-Request": "true"},
    )

    assert "Pilih OPD instansi ini." in text_of(response)
    assert FollowUp.objects.count() == 0


def many_findings(cycle, by, aspects, count):
    for number in range(count):
        aspect = aspects[number % len(aspects)]
        kind = Kind.values[number % 3]
        services.add_finding(cycle, by=by, aspect=aspect, kind=kind, text=f"Temuan {number}.")


@pytest.mark.parametrize("count", [1, 30])
def test_findings_page_query_count_does_not_grow(
    client, cycle, coordinator, aspects, agency, due, count
):
    many_findings(cycle, coordinator, aspects, count)
    for finding in Finding.objects.filter(kind=Kind.RECOMMENDATION):
        services.create_follow_up(finding, by=coordinator, agency=agency, due_date=due)
    client.force_login(coordinator)

    # 11 with the closing step (whether the findings are frozen).
    # 13 with the menu badge's waiting work (cycles.waiting: running steps, letters, answers);
    # 12 since the user is read with their institution in one query (UserBackend);
    # 10 since the badge counts letters and answers with the running steps.
    assert count_queries(client, findings_url(cycle)) == 10


# --- Follow-up list and page ----------------------------------------------------------------


def test_list_shows_carried_follow_ups_in_the_next_cycle(
    client, cycle, coordinator, follow_up, agency_user
):
    later = cycle_services.copy_cycle(
        cycle, by=coordinator, year=2027, deadline=timezone.localdate() + datetime.timedelta(30)
    )
    client.force_login(coordinator)

    page = client.get(list_url(later))
    origin = text_of(client.get(list_url(cycle)))

    assert list(page.context["carried"]) == [follow_up]
    assert list(page.context["originated"]) == []
    carried_section = text_of(page).split("Dibawa dari periode sebelumnya")[1]
    assert "Tetapkan Peraturan Wali Kota tentang Arsitektur SPBE." in carried_section
    assert "Monev SPBE 2026" in carried_section
    assert "BKPSDM — 1 belum selesai" in text_of(page)
    assert "Monev SPBE 2027" in origin.split("Tindak lanjut dari periode ini")[1]


def test_list_filters_by_opd_and_status_and_flags_overdue_in_words(
    client, cycle, coordinator, follow_up, other_agency, agency_user
):
    soon = services.create_follow_up(
        follow_up.recommendation,
        by=coordinator,
        agency=other_agency,
        due_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    services.update_follow_up(follow_up, by=agency_user, status="dalam proses", note="Mulai.")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5)):
        client.force_login(coordinator)  # a session left idle for 5 days would have ended
        everything = client.get(list_url(cycle))
        by_opd = client.get(list_url(cycle), {"agency": other_agency.pk})
        in_progress = client.get(list_url(cycle), {"status": "dalam proses"})

    assert [f.pk for f in everything.context["originated"]] == [soon.pk, follow_up.pk]
    assert list(by_opd.context["originated"]) == [soon]
    assert list(in_progress.context["originated"]) == [follow_up]
    row = re.search(
        rf'<tr id="tindak-lanjut-{soon.pk}" class="row-overdue">.*?</tr>',
        everything.content.decode(),
        re.S,
    )
    assert row is not None
    assert "lewat batas waktu" in row.group(0)
    assert everything.content.decode().count(">lewat batas waktu</span>") == 1


def test_detail_update_by_the_operator_and_its_history(client, follow_up, agency_user):
    client.force_login(agency_user)
    url = detail_url(follow_up)

    page = client.get(url)
    refused = client.post(url, {"status": "terbuka", "note": ""})
    saved = client.post(url, {"status": "dalam proses", "note": "Draf disusun."}, follow=True)

    assert [value for value, _label in page.context["form"].fields["status"].choices] == [
        "terbuka",
        "dalam proses",
        "selesai",
    ]
    assert "Tidak ada perubahan: pilih status lain atau tulis catatan kemajuan." in text_of(refused)
    text = text_of(saved)
    assert "Kemajuan tindak lanjut disimpan." in text
    assert "terbuka → dalam proses Draf disusun." in text


def test_coordinator_drops_with_a_reason(client, follow_up, coordinator):
    client.force_login(coordinator)
    url = detail_url(follow_up)

    without = client.post(url, {"status": "dibatalkan", "note": ""})
    client.post(url, {"status": "dibatalkan", "note": "Tidak relevan lagi."})

    assert "Tulis alasan pembatalan tindak lanjut." in text_of(without)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DROPPED


def many_follow_ups(cycle, coordinator, aspects, count, due):
    agencies = Agency.objects.bulk_create(
        Agency(institution=cycle.institution, name=f"Dinas {n}", short_name=f"D{n}")
        for n in range(count)
    )
    for number, agency in enumerate(agencies):
        finding = services.add_finding(
            cycle,
            by=coordinator,
            aspect=aspects[number % len(aspects)],
            kind=Kind.RECOMMENDATION,
            text=f"Rekomendasi {number}.",
        )
        services.create_follow_up(finding, by=coordinator, agency=agency, due_date=due)


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_does_not_grow(client, cycle, coordinator, aspects, due, count):
    many_follow_ups(cycle, coordinator, aspects, count, due)
    later = cycle_services.copy_cycle(
        cycle, by=coordinator, year=2027, deadline=timezone.localdate() + datetime.timedelta(30)
    )
    client.force_login(coordinator)

    # 12 with the menu badge's waiting work (cycles.waiting: running steps, letters, answers);
    # 11 since the user is read with their institution in one query (UserBackend);
    # 9 since the badge counts letters and answers with the running steps.
    assert count_queries(client, list_url(cycle)) == 9
    assert count_queries(client, list_url(later)) == 9


@pytest.mark.parametrize("count", [1, 30])
def test_detail_query_count_does_not_grow_with_history(
    client, follow_up, agency_user, count, django_assert_num_queries
):
    for number in range(count):
        services.update_follow_up(
            follow_up, by=agency_user, status="dalam proses", note=f"Catatan {number}."
        )
    client.force_login(agency_user)

    # 8: the menu badge reads the operator's waiting work (cycles.waiting): data requests
    # and follow-ups, instead of the unread notifications; 7 since the user is read with
    # their institution in one query (UserBackend).
    assert count_queries(client, detail_url(follow_up)) == 7


def test_the_opd_sees_its_open_follow_ups_on_home_and_portal(
    client, cycle, follow_up, agency, agency_user, other_agency_user
):
    client.force_login(agency_user)
    home = client.get(reverse("home")).content.decode()
    portal = client.get(reverse("portal", args=[cycle.pk, agency.pk])).content.decode()
    client.force_login(other_agency_user)
    other_home = client.get(reverse("home")).content.decode()

    link = f'href="{detail_url(follow_up)}"'
    assert link in home
    assert "Tindak lanjut BKPSDM yang belum selesai" in home
    assert link in portal
    assert link not in other_home


def test_cycle_and_result_pages_link_to_the_findings(client, cycle, coordinator):
    client.force_login(coordinator)
    link = f'<a href="{findings_url(cycle)}">Temuan dan tindak lanjut</a>'

    assert link in client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert link in client.get(reverse("assessment_result", args=[cycle.pk])).content.decode()


def test_deleting_a_recommendation_with_a_follow_up_is_refused_on_the_page(
    client, coordinator, follow_up
):
    client.force_login(coordinator)

    response = client.post(
        reverse("finding_delete", args=[follow_up.recommendation.pk]),
        headers={"HX-Request": "true"},
    )

    assert "sudah dijadikan tindak lanjut dan tidak dapat dihapus" in text_of(response)
    assert Finding.objects.count() == 1


def test_htmx_edit_returns_the_section_with_the_new_text(client, coordinator, recommendation):
    client.force_login(coordinator)

    response = client.post(
        reverse("finding_edit", args=[recommendation.pk]),
        {"text": "Tetapkan Perwa Arsitektur SPBE tahun ini."},
        headers={"HX-Request": "true"},
    )

    text = text_of(response)
    assert "Perubahan disimpan." in text
    assert "Tetapkan Perwa Arsitektur SPBE tahun ini." in text
