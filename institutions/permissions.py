"""Who may do what: plain predicates used by views, templates and (later) the API alike,
and one access helper per model that answers 404 for another institution's rows."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from institutions.models import Agency, Membership, Role, User

STAFF_ROLES = {Role.COORDINATOR, Role.SUPERVISOR, Role.SECRETARIAT, Role.EVALUATOR, Role.LEADER}


def memberships_of(user):
    """The user's role memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_monev_memberships"):
        # In the model's order (by role), sorted here: the ORDER BY costs more to build
        # than the few rows cost to sort.
        memberships = Membership.objects.filter(user=user).select_related("agency").order_by()
        user._monev_memberships = sorted(memberships, key=lambda m: (m.role, m.pk))
    return user._monev_memberships


def roles_of(user):
    return {m.role for m in memberships_of(user)}


def has_role(user, *roles):
    return bool(roles_of(user) & set(roles))


def agencies_of(user):
    """The OPDs this user operates for (the `agency` role)."""
    return [m.agency for m in memberships_of(user) if m.role == Role.AGENCY]


def is_staff_member(user):
    """Diskominfo / city-team roles that see every OPD of their institution."""
    return bool(roles_of(user) & (STAFF_ROLES | {Role.ADMIN}))


def can_manage_people(user):
    return user.institution_id is not None and has_role(user, Role.ADMIN)


def can_view_agency(user, agency):
    if user.institution_id != agency.institution_id:
        return False
    return is_staff_member(user) or agency in agencies_of(user)


def get_agency_or_404(user, pk):
    agency = get_object_or_404(Agency, pk=pk, institution_id=user.institution_id)
    if not can_view_agency(user, agency):
        raise Http404
    return agency


def get_user_or_404(user, pk):
    return get_object_or_404(User, pk=pk, institution_id=user.institution_id)


def must_use_second_factor(user):
    """Whether the installation requires a second factor (TOTP) for one of the user's roles."""
    return bool(roles_of(user) & set(settings.OTP_REQUIRED_ROLES))
