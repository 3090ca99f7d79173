"""Who may do what in a cycle. Plain predicates, shared by views, services and templates."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cycles.models import Cycle
from institutions.models import Role
from institutions.permissions import agencies_of, has_role, is_staff_member


def can_open_cycle(user, institution):
    return user.institution_id == institution.pk and has_role(user, Role.COORDINATOR)


def can_manage_cycle(user, cycle):
    return user.institution_id == cycle.institution_id and has_role(user, Role.COORDINATOR)


def can_view_cycle(user, cycle):
    if user.institution_id != cycle.institution_id:
        return False
    if is_staff_member(user):
        return True
    own = {agency.pk for agency in agencies_of(user)}
    return bool(own) and cycle.agencies.filter(pk__in=own).exists()


def get_cycle_or_404(user, pk):
    cycle = get_object_or_404(
        Cycle.objects.select_related("institution", "framework", "sop"),
        pk=pk,
        institution_id=user.institution_id,
    )
    if not can_view_cycle(user, cycle):
        raise Http404
    return cycle
