"""Small helpers shared by the letters' service modules."""

from django.urls import reverse

from cycles.models import StepRun
from cycles.services import role_holders
from letters.models import STEP_ONE_KINDS, Letter


def letter_url(letter):
    return reverse("letter_detail", args=[letter.pk])


def _lock(letter):
    """Lock the letter's row for this transaction and refresh its status from it, so two
    requests acting on the same letter at once cannot both pass the status check."""
    letter.status = (
        Letter.objects.select_for_update().values_list("status", flat=True).get(pk=letter.pk)
    )


def _step_one_letters(cycle):
    return list(Letter.objects.filter(cycle=cycle, kind__in=STEP_ONE_KINDS, agency=None))


def _step_running(cycle, number):
    return StepRun.objects.filter(
        cycle=cycle, number=number, status=StepRun.Status.RUNNING
    ).exists()


def _sole_holder(cycle, role):
    """The one person holding `role`, to hold a step; None when there are several or none."""
    people = list(role_holders(cycle, role)[:2])
    return people[0] if len(people) == 1 else None
