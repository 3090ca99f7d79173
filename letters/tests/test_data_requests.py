"""An operator's data requests (letters.queries.data_requests_for): the dispatched letters
their OPDs received, per cycle and OPD, with the OPD's indicators; the home page shows the
open cycles' ones, the inbox every cycle's."""

from django.urls import reverse

from cycles import services as cycle_services
from cycles.permissions import CLOSING_STEP
from institutions.models import Membership, Role
from letters.queries import data_requests_for


def summary(requests):
    return [
        (r.cycle.pk, r.agency.short_name, [letter.pk for letter in r.letters], r.indicators)
        for r in requests
    ]


def assigned(cycle, agency):
    return [
        a.indicator for a in cycle.assignments.filter(agency=agency).order_by("indicator__position")
    ]


def test_each_opd_gets_the_letters_it_received(
    cycle, drafted, to_status, agency, other_agency, agency_user, coordinator
):
    invitation, data_request = drafted
    to_status(invitation, "dispatched")
    to_status(data_request, "dispatched")
    # The operator also works for Dinkes, which received the data request only.
    Membership.objects.create(user=agency_user, role=Role.AGENCY, agency=other_agency)
    invitation.receipts.filter(agency=other_agency).delete()
    node = cycle.framework.nodes.filter(children=None).order_by("position").first()
    cycle_services.set_assignments(cycle, {node: [agency]}, by=coordinator)

    requests = data_requests_for(agency_user)

    kinds = sorted([invitation, data_request], key=lambda letter: (letter.kind, letter.pk))
    assert summary(requests) == [
        (cycle.pk, "BKPSDM", [letter.pk for letter in kinds], [node]),
        (cycle.pk, "Dinkes", [data_request.pk], []),
    ]


def test_a_finished_cycles_requests_leave_the_home_and_stay_in_the_inbox(
    client, cycle, drafted, to_status, agency, agency_user, coordinator
):
    _invitation, data_request = drafted
    to_status(data_request, "dispatched")
    client.force_login(agency_user)
    card = f'id="permintaan-{cycle.pk}-{agency.pk}"'
    assert card in client.get(reverse("home")).content.decode()

    cycle_services.finish_step(cycle, CLOSING_STEP, by=coordinator)

    assert summary(data_requests_for(agency_user, open_only=True)) == []
    # BKPSDM answers the indicators of its functions (proposed when the cycle opened).
    assert summary(data_requests_for(agency_user)) == [
        (cycle.pk, "BKPSDM", [data_request.pk], list(assigned(cycle, agency)))
    ]
    assert card not in client.get(reverse("home")).content.decode()
    assert card in client.get(reverse("inbox")).content.decode()
