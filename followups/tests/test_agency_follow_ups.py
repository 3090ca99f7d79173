"""The OPD's open follow-ups box (followups_tags.agency_follow_ups) on its portal: its own
operators' come from what the request read for the menu badge and the waiting list
(cycles.waiting.open_follow_ups), anyone else's from a query; the same list either way."""

import pytest
from django.urls import reverse

from followups import services
from institutions.models import Membership, Role
from monev.testing import make_user


@pytest.fixture
def operator_of_both(institution, agency, other_agency):
    """One operator for BKPSDM and Dinkes."""
    person = make_user(institution, "opd-ganda", Role.AGENCY, agency=agency)
    Membership.objects.create(user=person, role=Role.AGENCY, agency=other_agency)
    return person


def box(client, cycle, agency):
    """The follow-up links in the OPD's box on its portal."""
    page = client.get(reverse("portal", args=[cycle.pk, agency.pk])).content.decode()
    start = page.find(f'id="tindak-lanjut-opd-{agency.pk}"')
    if start == -1:
        return []
    section = page[start : page.index("</section>", start)]
    return [link.split('"')[0] for link in section.split('href="')[1:]]


def url(follow_up):
    return reverse("follow_up_detail", args=[follow_up.pk])


def test_each_opds_box_lists_its_own_open_follow_ups_for_its_operator_and_the_staff(
    client, cycle, recommendation, coordinator, agency, other_agency, operator_of_both, due
):
    ours = services.create_follow_up(recommendation, by=coordinator, agency=agency, due_date=due)
    theirs = services.create_follow_up(
        recommendation, by=coordinator, agency=other_agency, due_date=due
    )
    for viewer in (operator_of_both, coordinator):
        client.force_login(viewer)
        assert box(client, cycle, agency) == [url(ours)]
        assert box(client, cycle, other_agency) == [url(theirs)]

    services.update_follow_up(ours, by=operator_of_both, status="selesai", note="Beres.")
    for viewer in (operator_of_both, coordinator):
        client.force_login(viewer)
        assert box(client, cycle, agency) == []
        assert box(client, cycle, other_agency) == [url(theirs)]
