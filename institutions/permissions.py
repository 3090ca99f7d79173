"""Who may do what: plain predicates used by views, templates and (later) the API alike,
and one access helper per model that answers 404 for another institution's rows."""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from institutions.models import Agency, ApiToken, Membership, Role, User
from monev import plain

STAFF_ROLES = {Role.COORDINATOR, Role.SUPERVISOR, Role.SECRETARIAT, Role.EVALUATOR, Role.LEADER}


def memberships_of(user):
    """The user's role memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_monev_memberships"):
        user._monev_memberships = _read_memberships(user)
    return user._monev_memberships


@functools.cache
def _memberships_sql():
    return (
        f"SELECT {plain.select_list(Membership, 'm')}, {plain.select_list(Agency, 'a')} "
        f"FROM {plain.table(Membership)} m LEFT JOIN {plain.table(Agency)} a "
        f"ON a.{plain.column(Agency, 'id')} = m.{plain.column(Membership, 'agency')} "
        f"WHERE m.{plain.column(Membership, 'user')} = %s"
    )


def _read_memberships(user):
    """The user's memberships with their OPDs, in the model's order (by role). One plain
    statement (monev.plain), as it runs on every signed-in page; sorted here, as an ORDER
    BY would cost more than sorting the few rows."""
    memberships = []
    for row in plain.fetch(_memberships_sql(), [user.pk]):
        membership = plain.instance(Membership, row)
        membership.agency = plain.instance(Agency, row, plain.width(Membership))
        membership.user = user
        memberships.append(membership)
    return sorted(memberships, key=lambda m: (m.role, m.pk))


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


def can_view_agencies(user):
    """The list of the institution's OPDs: its staff (an operator sees only their own OPD)."""
    return user.institution_id is not None and is_staff_member(user)


def can_manage_people(user):
    return user.institution_id is not None and has_role(user, Role.ADMIN)


def is_installation_admin(user):
    """The installation's superuser, who belongs to no institution."""
    return user.is_authenticated and user.is_superuser and user.institution_id is None


def can_manage_institution(user, institution):
    """The institution's settings (kop lines, contacts, coat of arms): its administrator."""
    return user.institution_id == institution.pk and has_role(user, Role.ADMIN)


def get_institution_or_404(user, pk):
    """The user's own institution when they may manage it; 404 for any other (another
    institution's, or a person who is not its administrator)."""
    if user.institution_id != pk or not can_manage_institution(user, user.institution):
        raise Http404
    return user.institution


def can_view_agency(user, agency):
    if user.institution_id != agency.institution_id:
        return False
    return is_staff_member(user) or agency in agencies_of(user)


def agencies_visible_to(user):
    """can_view_agency as a queryset, for lists: every OPD of the staff's institution, their
    own OPDs for an operator (none for anyone else)."""
    agencies = Agency.objects.filter(institution_id=user.institution_id)
    if is_staff_member(user):
        return agencies
    return agencies.filter(pk__in=[agency.pk for agency in agencies_of(user)])


def get_agency_or_404(user, pk):
    agency = get_object_or_404(Agency, pk=pk, institution_id=user.institution_id)
    if not can_view_agency(user, agency):
        raise Http404
    return agency


def get_user_or_404(user, pk):
    return get_object_or_404(User, pk=pk, institution_id=user.institution_id)


def tokens_of(user):
    """The person's own API tokens: nobody else's are listed or revoked, by anyone."""
    return ApiToken.objects.filter(user=user)


def get_api_token_or_404(user, pk):
    return get_object_or_404(tokens_of(user), pk=pk)


def must_use_second_factor(user):
    """Whether the installation requires a second factor (TOTP) for one of the user's roles."""
    return bool(roles_of(user) & set(settings.OTP_REQUIRED_ROLES))
