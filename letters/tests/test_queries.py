"""The inbox query and the letter page read a fixed number of rows whatever the size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.models import Agency, User
from letters import services
from letters.models import Letter
from letters.queries import letter_context, letters_for_inbox
from monev.testing import make_user


def inbox(user):
    return [(letter.kind, letter.status) for letter in letters_for_inbox(user)]


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_inbox_lists_what_waits_for_each_person(
    drafted, to_status, coordinator, supervisor, secretariat, evaluator, agency_user, outsider
):
    invitation, data_request = drafted
    assert inbox(fresh(coordinator)) == [("permohonan_data", "draft"), ("undangan", "draft")]
    assert inbox(fresh(supervisor)) == []
    to_status(invitation, "submitted")
    to_status(data_request, "submitted")
    assert inbox(fresh(supervisor)) == [
        ("permohonan_data", "submitted"),
        ("undangan", "submitted"),
    ]
    services.dispose_letter(data_request, by=supervisor, approve=False, note="Perbaiki")
    services.dispose_letter(invitation, by=supervisor, approve=True)
    assert inbox(fresh(coordinator)) == [("permohonan_data", "returned")]
    assert inbox(fresh(supervisor)) == []
    assert inbox(fresh(secretariat)) == [("undangan", "approved")]
    to_status(invitation, "signed")
    assert inbox(fresh(secretariat)) == [("undangan", "signed")]
    assert inbox(fresh(agency_user)) == []
    to_status(invitation, "dispatched")
    assert inbox(fresh(secretariat)) == []
    assert inbox(fresh(agency_user)) == [("undangan", "dispatched")]
    services.mark_letter_opened(invitation, by=agency_user)
    assert inbox(fresh(agency_user)) == []
    assert inbox(fresh(evaluator)) == []
    assert inbox(fresh(outsider)) == []


def test_inbox_query_count_does_not_grow(
    drafted, to_status, institution, cycle, agency_user, django_assert_num_queries
):
    for letter in drafted:
        to_status(letter, "dispatched")
    user = fresh(agency_user)
    # memberships, letters
    with django_assert_num_queries(2):
        assert len(list(letters_for_inbox(user))) == 2


def test_letter_context_query_count_does_not_grow(
    institution, cycle, letter, to_status, django_assert_num_queries
):
    to_status(letter, "numbered")
    for number in range(10):
        agency = Agency.objects.create(
            institution=institution, name=f"Kecamatan {number}", short_name=f"Kec{number}"
        )
        cycle.agencies.add(agency)
        letter.recipients.add(agency)
    loaded = Letter.objects.select_related("cycle__institution").get(pk=letter.pk)
    # recipients, assignments with their indicators and aspects
    with django_assert_num_queries(2):
        context = letter_context(loaded)
    assert len(context["addressees"]) == 12


def count_page_queries(client, user, letter):
    client.force_login(user)
    url = reverse("letter_detail", args=[letter.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_letter_page_query_count_does_not_grow(
    client, institution, cycle, drafted, to_status, coordinator, supervisor, secretariat
):
    invitation, data_request = drafted
    to_status(invitation, "dispatched")
    small = count_page_queries(client, secretariat, invitation)
    # session, user, institution (time zone), the letter with its cycle, institution, SOP and
    # author, its recipients, memberships, dispositions, receipts, the step box, and the menu
    # badge's waiting work (cycles.waiting: running steps, letters)
    assert small == 12

    to_status(data_request, "submitted")
    services.dispose_letter(data_request, by=supervisor, approve=False, note="Satu")
    services.submit_letter(data_request, by=coordinator)
    services.dispose_letter(data_request, by=supervisor, approve=False, note="Dua")
    for number in range(10):
        agency = Agency.objects.create(
            institution=institution, name=f"Kecamatan {number}", short_name=f"Kec{number}"
        )
        data_request.recipients.add(agency)
        make_user(institution, f"op{number}", "agency", agency=agency)
    services.submit_letter(data_request, by=coordinator)
    to_status(data_request, "dispatched")
    assert data_request.dispositions.count() == 3
    assert count_page_queries(client, secretariat, data_request) == small
