"""Who is invited by default (schedule_meeting): every active user of the institution holding
the leader, supervisor, coordinator or evaluator role (one row each, under their SOP actor
name), and every active operator of each participating OPD (one row per person, so each can
check in as themself). An OPD without an operator account gets one "Perwakilan <OPD>" row,
so every participating OPD is on the printed daftar hadir. The secretariat runs the
attendance desk and is not invited by default; anyone else is added as a walk-in.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from institutions.models import Membership, Role
from meetings.models import Attendee

# The roles invited by default, the most senior first (a person's first one names their row).
INVITED_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.COORDINATOR, Role.EVALUATOR)


def _default_invitees(cycle):
    """Unsaved Attendee rows of the default invitees (see the module docstring)."""
    # Printed on the daftar hadir, an Indonesian document, whatever the author's language.
    with translation.override("id"):
        return _invitee_rows(cycle)


def _invitee_rows(cycle):
    actor_names = cycle.sop.actor_names
    rows, seen = [], set()
    staff = (
        Membership.objects.filter(
            user__institution=cycle.institution, user__is_active=True, role__in=INVITED_ROLES
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    by_user = {}
    for membership in staff:
        by_user.setdefault(membership.user, []).append(membership.role)
    for user, roles in by_user.items():
        role = min(roles, key=INVITED_ROLES.index)
        actor = actor_names.get(role) or str(Role(role).label)
        rows.append(
            Attendee(
                user=user,
                name=user.get_full_name(),
                position=user.position or actor,
                unit=actor if user.position else "",
                invited=True,
            )
        )
        seen.add(user.pk)
    operators = (
        Membership.objects.filter(
            role=Role.AGENCY, agency__in=cycle.agencies.all(), user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("agency__name", "user__full_name")
    )
    covered = set()
    for membership in operators:
        covered.add(membership.agency_id)
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        user = membership.user
        rows.append(
            Attendee(
                user=user,
                name=user.get_full_name(),
                position=user.position or str(Role.AGENCY.label),
                agency=membership.agency,
                invited=True,
            )
        )
    for agency in cycle.agencies.all():
        if agency.pk not in covered:
            rows.append(
                Attendee(
                    name=_("Perwakilan %(agency)s") % {"agency": agency.short_name},
                    agency=agency,
                    invited=True,
                )
            )
    return rows


def _add_missing_invitees(meeting):
    """Add the default invitees not on the list yet (new operators, new team members)."""
    listed_users, listed_agencies = set(), set()
    for user_id, agency_id in meeting.attendees.values_list("user_id", "agency_id"):
        listed_users.add(user_id)
        listed_agencies.add(agency_id)
    new = []
    for row in _default_invitees(meeting.cycle):
        # A person is listed once; an OPD without an account needs no second placeholder.
        if row.user_id is not None:
            listed = row.user_id in listed_users
        else:
            listed = row.agency_id in listed_agencies
        if listed:
            continue
        row.meeting = meeting
        new.append(row)
    Attendee.objects.bulk_create(new)
    return len(new)
