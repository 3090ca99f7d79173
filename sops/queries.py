"""Reads of SOPs reused by views and other apps."""

import copy
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from monev.kept import KeptData

from .models import Sop, SopStep, StepState

# A loaded SOP version's steps never change under its stamp (loaded_at, content_hash): each
# process reads them once, and sees a reloaded version by the stamp on the Sop row it reads.
KEPT_STEPS = KeptData(size=16)


def current_sop(institution):
    """The institution's SOP in force: the version loaded last, or None."""
    if institution is None:
        return None
    return Sop.objects.filter(institution=institution).first()


def sop_versions(institution):
    """Every SOP version loaded for the institution, the current one first."""
    return Sop.objects.filter(institution=institution).only(
        "pk", "code", "version", "name", "loaded_at"
    )


def get_sop_or_404(user, pk):
    """An SOP of the user's own institution; another institution's SOP is a 404."""
    return get_object_or_404(Sop, pk=pk, institution_id=user.institution_id)


@dataclass(frozen=True)
class SheetRow:
    step: SopStep
    state: StepState | None = None
    note: str = ""


def sheet_rows(sop, *, states=None, notes=None):
    """The rows of the printed procedure table, one per step, in order.

    `states` maps a step number to its StepState (or its value) and `notes` to a short text,
    so a running cycle can draw its live state on the sheet; steps not in them show none.
    """
    states, notes = states or {}, notes or {}
    return [
        SheetRow(
            step=step,
            state=StepState(states[step.number]) if step.number in states else None,
            note=notes.get(step.number, ""),
        )
        for step in sop_steps(sop)
    ]


def sop_steps(sop):
    """The SOP's steps in order, as the caller's own copies with `step.sop` set to `sop`
    (one query the first time in a process, none after)."""
    key = (sop.pk, sop.loaded_at, sop.content_hash)
    kept = KEPT_STEPS.get(key, lambda: tuple(SopStep.objects.filter(sop_id=sop.pk)))
    steps = []
    for step in kept:
        fresh = copy.deepcopy(step)  # its own actors list and _state
        fresh.sop = sop
        steps.append(fresh)
    return steps


def sop_step(sop, number):
    """Step `number` of the SOP (a copy, as sop_steps), or None."""
    return next((step for step in sop_steps(sop) if step.number == number), None)


def forget_sop_steps(sop=None):
    """Drop what this process keeps of one SOP's steps, or of all."""
    KEPT_STEPS.forget(None if sop is None else sop.pk)
