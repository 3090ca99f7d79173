"""On the demo, each person's home page lists exactly what waits for their action, the menu
badge counts those items, and an item is gone for everyone who had it once anyone does the
action (through the real services)."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.queries import year_over_year
from cycles.models import Assignment
from demo.cycle import DONE, DRAFTING, RETURNED
from followups.models import FollowUp
from followups.services import update_follow_up
from frameworks.scoring import display
from institutions.models import Institution, User
from letters import services as letters
from meetings import services as meetings
from recap.queries import recap_matrix
from submissions import services as submissions
from submissions.models import Submission

ITEM = re.compile(r'<li class="waiting-item" data-kind="[^"]*">\s*<a href="([^"]+)">([^<]+)</a>')
BADGE = re.compile(
    r'<span class="nav-count" aria-label="(\d+) menunggu tindakan Anda">(\d+)</span>'
)


@pytest.fixture
def demo_data(demo_database, db, settings):
    settings.MEDIA_ROOT = demo_database
    return Institution.objects.get(slug="pontianak")


@pytest.fixture
def current(demo_data):
    return demo_data.cycles.get(year=timezone.localdate().year)


def user(username):
    return User.objects.get(username=username)


def home(client, username):
    """([(url, title)] listed as waiting on the person's home page, [badge counts], html)."""
    client.force_login(user(username))
    page = client.get(reverse("home")).content.decode()
    items = [(url, html.unescape(title)) for url, title in ITEM.findall(page)]
    badges = [int(shown) for label, shown in BADGE.findall(page) if label == shown]
    return items, badges, page


def review_items(cycle):
    """The answers the demo hands in and leaves unreviewed: the indicators of the OPDs done
    but not accepted (demo.cycle.DONE[3:]), one item each, in framework order."""
    nodes = {
        assignment.indicator
        for assignment in Assignment.objects.filter(
            cycle=cycle, agency__short_name__in=DONE[3:]
        ).select_related("indicator")
    }
    return [
        (
            reverse("review_indicator", args=[cycle.pk, node.pk]),
            f"Verifikasi jawaban indikator {node.number}",
        )
        for node in sorted(nodes, key=lambda node: node.position)
    ]


def test_each_persons_home_lists_exactly_what_waits_and_the_badge_counts_it(
    demo_data, current, client
):
    reviews = review_items(current)
    assert reviews  # the demo leaves answers to review
    agency = demo_data.agencies.get(short_name=RETURNED[0])
    returned = current.submissions.get(agency=agency, status=Submission.Status.RETURNED)
    follow_up = FollowUp.objects.get(agency=agency, status__in=FollowUp.OPEN_STATUSES)
    drafting = demo_data.agencies.get(short_name=DRAFTING[0])
    drafts = current.submissions.filter(agency=drafting, status="draft").count()
    expected = {
        "koordinator": reviews,
        "evaluator": reviews,
        "kabid": [],
        "sekretariat": [],
        "sekda": [],
        "opd-bkpsdm": [
            (
                reverse("submission_edit", args=[current.pk, agency.pk, returned.indicator_id]),
                f"Isi jawaban BKPSDM: indikator {returned.indicator.number} — {current.name}",
            ),
            (
                reverse("follow_up_detail", args=[follow_up.pk]),
                f"Laporkan tindak lanjut BKPSDM: {follow_up.description}",
            ),
        ],
        # Its deadline passed and it was not given more time: nothing it can do.
        "opd-bag-organisasi": [],
        "opd-dinkes": [],
        "pkp-koordinator": [],
        "admin": [],
    }
    listed = {}
    for username, items in expected.items():
        found, badges, _page = home(client, username)
        listed[username] = found
        # The badge (on the menu button and on "Kotak masuk") counts the same items.
        assert badges == ([len(items)] * 2 if items else []), username
    assert listed == expected
    # BKD drafted everything and was given more time: it is offered to hand it all in.
    found, badges, _page = home(client, f"opd-{drafting.short_name.lower()}")
    assert found == [
        (
            reverse("portal", args=[current.pk, drafting.pk]),
            f"Ajukan {drafts} isian {drafting.short_name} yang sudah lengkap — {current.name}",
        )
    ]
    assert badges == [1, 1]


def test_the_inbox_lists_the_same_items(demo_data, current, client):
    items, _badges, _page = home(client, "koordinator")
    page = client.get(reverse("inbox")).content.decode()
    assert [(url, html.unescape(title)) for url, title in ITEM.findall(page)] == items


def test_the_home_texts_say_truthfully_whether_letters_wait(demo_data, current, client):
    _items, _badges, page = home(client, "kabid")
    assert "Tidak ada surat yang menunggu disposisi Anda." in page
    _items, _badges, page = home(client, "sekretariat")
    assert "Tidak ada surat yang menunggu nomor, tanda tangan atau pengiriman." in page

    coordinator = user("koordinator")
    meeting = meetings.schedule_meeting(
        current,
        by=coordinator,
        starts_at=timezone.now() + timezone.timedelta(days=7),
        place="Ruang Rapat Pontive Center",
    )
    letter = meetings.draft_meeting_invitation(meeting, by=coordinator)
    letters.submit_letter(letter, by=coordinator)
    url = reverse("letter_detail", args=[letter.pk])
    items, badges, page = home(client, "kabid")
    assert items == [(url, "Disposisi Surat Undangan Rapat Koordinasi")]
    assert badges == [1, 1]
    assert "Surat yang menunggu disposisi Anda ada di daftar" in page

    letters.dispose_letter(
        letter, by=user("kabid"), approve=True, instruction="Kirim.", addressed_to="Sekretariat"
    )
    assert home(client, "kabid")[:2] == ([], [])
    items, badges, page = home(client, "sekretariat")
    assert items == [(url, "Beri nomor Surat Undangan Rapat Koordinasi")]
    assert "Surat dan dokumen yang menunggu nomor" in page
    secretariat = user("sekretariat")
    letters.number_letter(letter, by=secretariat)
    letters.record_signature(letter, by=secretariat, internal_approval=True)
    letters.dispatch_letter(letter, by=secretariat)
    assert home(client, "sekretariat")[:2] == ([], [])


def test_a_reviewed_answer_is_gone_for_everyone_who_had_it(demo_data, current, client):
    first_url, _title = review_items(current)[0]
    node_pk = int(first_url.rstrip("/").rsplit("/", 1)[1])
    for submission in current.submissions.filter(indicator_id=node_pk, status="submitted"):
        submissions.accept_submission(submission, by=user("evaluator"))
    for username in ("koordinator", "evaluator"):
        items, badges, _page = home(client, username)
        assert items == review_items(current)[1:]
        assert first_url not in [url for url, _title in items]
        assert badges == ([len(items)] * 2 if items else [])


def test_an_opds_returned_answer_and_follow_up_leave_its_list_once_done(demo_data, current, client):
    agency = demo_data.agencies.get(short_name=RETURNED[0])
    operator = user("opd-bkpsdm")
    returned = current.submissions.get(agency=agency, status=Submission.Status.RETURNED)
    submissions.submit_submission(returned, by=operator)
    follow_up = FollowUp.objects.get(agency=agency, status__in=FollowUp.OPEN_STATUSES)
    update_follow_up(follow_up, by=operator, status="selesai", note="Aplikasi terintegrasi.")
    assert home(client, "opd-bkpsdm")[:2] == ([], [])
    # The answer handed in again waits for the reviewers now.
    review = (
        reverse("review_indicator", args=[current.pk, returned.indicator_id]),
        f"Verifikasi jawaban indikator {returned.indicator.number}",
    )
    assert review in home(client, "koordinator")[0]


def test_the_sekdas_home_shows_last_years_final_result_and_this_years_progress(
    demo_data, current, client
):
    previous = demo_data.cycles.get(year=current.year - 1)
    _items, _badges, page = home(client, "sekda")
    assert "Tidak ada Berita Acara yang menunggu tanda tangan Anda." in page
    assert f"Hasil evaluasi mandiri {previous.year} (final)" in page
    result = year_over_year(previous).current
    assert (result.is_final, result.rating) == (True, "Baik")
    assert f'<span class="overview-number">{display(result.index)}</span>' in page
    assert f'<span class="badge badge-ok">{result.rating}</span>' in page
    assert "Belum ada tahun sebelumnya untuk dibandingkan." in page
    assert 'role="img"' in page or "<svg" in page  # assessments.charts' bars
    assert reverse("year_over_year", args=[previous.pk]) in page
    assert reverse("executive_brief", args=[previous.pk]) in page
    # This year's progress: the running step 4, and the OPDs done and late (the recap).
    assert f"Kemajuan {current.name}" in page
    assert "Langkah 4 sedang berjalan" in page
    rows = [row for row in recap_matrix(current).rows if row.assigned]
    late = sum(1 for row in rows if row.is_late)
    # Every OPD of demo.cycle.DONE handed everything in, but BKPSDM (one answer returned).
    assert sum(1 for row in rows if row.is_done) == len(DONE) - 1
    assert f"{len(DONE) - 1} dari {len(rows)} OPD sudah menyerahkan semua isiannya" in page
    assert f"{late} OPD terlambat" in page


def test_the_kabid_sees_the_same_overview(demo_data, current, client):
    _items, _badges, page = home(client, "kabid")
    assert 'id="ringkasan"' in page
    assert "Langkah 4 sedang berjalan" in page
