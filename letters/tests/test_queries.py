"""The letter page reads a fixed number of rows whatever the size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.models import Agency
from letters import services
from letters.models import Letter
from letters.queries import letter_context
from monev.testing import make_user


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
    # badge's waiting work (cycles.waiting: running steps, letters); the user and their
    # institution are one query (institutions.backends.UserBackend); the badge's running
    # steps and letters are one statement (cycles.waiting._staff_work)
    assert small == 10

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
