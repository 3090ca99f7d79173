"""Who may see the recap: the institution's staff (the city team and Diskominfo), never an
OPD's operator, since the matrix shows every OPD's progress."""

from django.http import Http404

from cycles.permissions import get_cycle_or_404
from institutions.permissions import is_staff_member


def can_view_recap(user, cycle):
    return user.institution_id == cycle.institution_id and is_staff_member(user)


def get_recap_cycle_or_404(user, pk):
    cycle = get_cycle_or_404(user, pk)
    if not can_view_recap(user, cycle):
        raise Http404
    return cycle
