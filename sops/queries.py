"""Reads of SOPs reused by views and other apps."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from .models import Sop, SopStep, StepState


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
        for step in sop.steps.all()
    ]
