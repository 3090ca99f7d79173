"""Every action is its owner's alone: the services refuse everybody else."""

import pytest
from django.core.exceptions import PermissionDenied

from letters import services
from letters.models import Letter
from letters.permissions import available_actions, can_view_letter
from letters.tests.helpers import signed_upload

PERSONAS = [
    "coordinator",
    "supervisor",
    "secretariat",
    "evaluator",
    "leader",
    "admin_user",
    "agency_user",
    "other_agency_user",
    "outsider",
]


def edit(letter, user):
    services.update_letter(
        letter,
        by=user,
        subject="Hal",
        body="Isi",
        nature="Biasa",
        attachment="",
        carbon_copies="",
        signer_name="A",
        signer_title="B",
    )


# action: (the state the letter is in, the one persona allowed, the call)
ACTIONS = {
    "draft": ("none", "coordinator", lambda letter, user: None),
    "edit": ("draft", "coordinator", edit),
    "submit": (
        "draft",
        "coordinator",
        lambda letter, user: services.submit_letter(letter, by=user),
    ),
    "dispose": (
        "submitted",
        "supervisor",
        lambda letter, user: services.dispose_letter(letter, by=user, approve=True),
    ),
    "number": (
        "approved",
        "secretariat",
        lambda letter, user: services.number_letter(letter, by=user),
    ),
    "sign": (
        "numbered",
        "secretariat",
        lambda letter, user: services.record_signature(letter, by=user, signed_pdf=signed_upload()),
    ),
    "dispatch": (
        "signed",
        "secretariat",
        lambda letter, user: services.dispatch_letter(letter, by=user),
    ),
    "open": (
        "dispatched",
        "agency_user",
        lambda letter, user: services.mark_letter_opened(letter, by=user),
    ),
}

REFUSED = [
    (action, persona)
    for action, (_state, owner, _call) in ACTIONS.items()
    for persona in PERSONAS
    if persona != owner and not (action == "open" and persona == "other_agency_user")
]


@pytest.mark.parametrize(("action", "persona"), REFUSED)
def test_every_action_is_refused_to_everybody_but_its_owner(
    request, cycle, to_status, action, persona
):
    user = request.getfixturevalue(persona)
    state, _owner, call = ACTIONS[action]
    if action == "draft":
        with pytest.raises(PermissionDenied):
            services.draft_cycle_letters(cycle, by=user)
        assert Letter.objects.filter(cycle=cycle).count() == 0
        return
    coordinator = request.getfixturevalue("coordinator")
    letter = services.draft_cycle_letters(cycle, by=coordinator)[1]
    to_status(letter, state)
    with pytest.raises(PermissionDenied):
        call(letter, user)
    letter.refresh_from_db()
    assert letter.status == state


def test_another_opds_operator_may_open_a_letter_sent_to_it(
    cycle, drafted, to_status, other_agency_user
):
    # Both OPDs are recipients: the other operator opens only their own receipt.
    letter = drafted[0]
    to_status(letter, "dispatched")
    assert services.mark_letter_opened(letter, by=other_agency_user) == 1
    assert list(
        letter.receipts.filter(opened_at__isnull=False).values_list("agency__short_name", flat=True)
    ) == ["Dinkes"]


def test_an_operator_of_an_opd_not_addressed_is_refused(
    institution, cycle, drafted, to_status, other_agency_user
):
    letter = drafted[0]
    letter.recipients.remove(other_agency_user.memberships.get().agency)
    letter = Letter.objects.get(pk=letter.pk)
    to_status(letter, "dispatched")
    assert can_view_letter(other_agency_user, letter) is False
    with pytest.raises(PermissionDenied):
        services.mark_letter_opened(letter, by=other_agency_user)


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("coordinator", "draft", {"edit", "submit"}),
        ("coordinator", "submitted", set()),
        ("supervisor", "draft", set()),
        ("supervisor", "submitted", {"dispose"}),
        ("secretariat", "submitted", set()),
        ("secretariat", "approved", {"number"}),
        ("secretariat", "numbered", {"sign"}),
        ("secretariat", "signed", {"dispatch"}),
        ("secretariat", "dispatched", set()),
        ("evaluator", "submitted", set()),
        ("admin_user", "approved", set()),
        ("agency_user", "dispatched", set()),
    ],
)
def test_available_actions(request, letter, to_status, persona, status, expected):
    to_status(letter, status)
    assert available_actions(request.getfixturevalue(persona), letter) == expected


@pytest.mark.parametrize(
    ("persona", "before", "after"),
    [
        ("coordinator", True, True),
        ("evaluator", True, True),
        ("leader", True, True),
        ("admin_user", True, True),
        ("agency_user", False, True),
        ("other_agency_user", False, True),
        ("outsider", False, False),
    ],
)
def test_who_sees_a_letter_before_and_after_dispatch(
    request, letter, to_status, persona, before, after
):
    user = request.getfixturevalue(persona)
    assert can_view_letter(user, letter) is before
    to_status(letter, "dispatched")
    assert can_view_letter(user, letter) is after
