"""Who may do what in a cycle. Plain predicates, shared by views, services and templates."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cycles.models import Cycle, StepRun
from documents.formal import tanggal
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


def cycles_visible_to(user):
    """can_view_cycle as a queryset, for lists: every cycle of the staff's institution, the
    cycles their OPDs take part in for an operator (none for anyone else)."""
    cycles = Cycle.objects.filter(institution_id=user.institution_id)
    if is_staff_member(user):
        return cycles
    taking_part = Cycle.agencies.through.objects.filter(
        cycle=OuterRef("pk"), agency__in=[agency.pk for agency in agencies_of(user)]
    )
    return cycles.filter(Exists(taking_part))


def can_view_team(user, cycle):
    """The evaluator team's decree: every staff role of the institution reads it (not the
    OPD operators)."""
    return user.institution_id == cycle.institution_id and is_staff_member(user)


def can_view_history(user, cycle):
    """The cycle's history (its audit events, with who did what before and after): every
    staff role of the institution, not the OPD operators."""
    return user.institution_id == cycle.institution_id and is_staff_member(user)


def can_edit_team(user, cycle):
    """The coordinator or the administrator keeps the decree and its members."""
    return user.institution_id == cycle.institution_id and has_role(
        user, Role.COORDINATOR, Role.ADMIN
    )


def get_cycle_or_404(user, pk):
    cycle = get_object_or_404(
        Cycle.objects.select_related("institution", "framework", "sop"),
        pk=pk,
        institution_id=user.institution_id,
    )
    if not can_view_cycle(user, cycle):
        raise Http404
    return cycle


# --- Closed records ------------------------------------------------------------------------

# The SOP step whose end closes the cycle: the Dokumen Evaluasi SPBE is made.
CLOSING_STEP = 8


@dataclass(frozen=True)
class Frozen:
    """Why a record is read-only now, and who can reopen it (or that nobody can), in the
    user's language. Given by each app's frozen_reason(); shown on its pages as is."""

    reason: str
    reopen: str

    def __str__(self):
        return f"{self.reason} {self.reopen}"


class FrozenError(ValidationError):
    """A write refused because the record is frozen: a ValidationError (code "frozen"), so
    the views show it as a message like any other refusal, never as a server error."""

    def __init__(self, frozen):
        super().__init__(str(frozen), code="frozen")
        self.frozen = frozen


def closing_run(cycle):
    """The finished StepRun that closed the cycle, or None while it runs (one query)."""
    return (
        StepRun.objects.filter(
            cycle_id=cycle.pk, number=CLOSING_STEP, status=StepRun.Status.DONE
        ).first()
        if cycle.pk
        else None
    )


def is_closed(cycle):
    """The cycle is finished (SOP step 8 done: its Dokumen Evaluasi SPBE was made): every
    record in it is read-only from then on, and a closed cycle is not reopened."""
    return closing_run(cycle) is not None


def closed_reason(cycle, *, run=None):
    """Frozen (why and who can reopen) for a closed cycle, else None. `run` saves the
    query when the caller has closing_run(cycle) already."""
    run = run or closing_run(cycle)
    if run is None:
        return None
    return Frozen(
        _("Periode %(cycle)s sudah selesai: Dokumen Evaluasi SPBE dibuat %(date)s.")
        % {"cycle": cycle.name, "date": tanggal(run.finished_at, time_zone=_zone(cycle))},
        _("Periode yang sudah selesai tidak dapat dibuka kembali oleh siapa pun."),
    )


def check_not_closed(cycle):
    """Raise FrozenError when the cycle is closed (for services writing in it)."""
    frozen = closed_reason(cycle)
    if frozen is not None:
        raise FrozenError(frozen)


def _zone(cycle):
    return cycle.institution.time_zone
