"""Who may do what with a letter. Plain predicates, shared by views, services and templates.

The `can_*` predicates answer "is this the person's job?" (role and institution); the
letter's status decides separately whether the action is possible now (see
`available_actions`), so a service can tell "not yours" (PermissionDenied) from "not yet"
(ValidationError).
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from institutions.models import Role
from institutions.permissions import agencies_of, has_role, is_staff_member
from letters.models import IssuingUnit, Letter


def _acts_as(user, letter, role):
    return (
        user.is_authenticated
        and user.institution_id is not None
        and user.institution_id == letter.cycle.institution_id
        and has_role(user, role)
    )


def can_draft_letters(user, cycle):
    return (
        user.is_authenticated
        and user.institution_id == cycle.institution_id
        and has_role(user, Role.COORDINATOR)
    )


def can_edit_letter(user, letter):
    return _acts_as(user, letter, Role.COORDINATOR)


def can_submit_letter(user, letter):
    return _acts_as(user, letter, Role.COORDINATOR)


def can_dispose_letter(user, letter):
    return _acts_as(user, letter, Role.SUPERVISOR)


def can_number_letter(user, letter):
    return _acts_as(user, letter, Role.SECRETARIAT)


def can_sign_letter(user, letter):
    return _acts_as(user, letter, Role.SECRETARIAT)


def can_dispatch_letter(user, letter):
    return _acts_as(user, letter, Role.SECRETARIAT)


def recipient_agencies_of(user, letter):
    """The user's own OPDs that the letter is addressed to (uses prefetched recipients)."""
    own = {agency.pk for agency in agencies_of(user)}
    if not own:
        return []
    return [agency for agency in letter.recipients.all() if agency.pk in own]


def is_recipient_operator(user, letter):
    """An operator of an OPD the letter was sent to (only once it has been dispatched)."""
    return (
        user.is_authenticated
        and user.institution_id == letter.cycle.institution_id
        and letter.status == Letter.Status.DISPATCHED
        and bool(recipient_agencies_of(user, letter))
    )


def can_view_letter(user, letter):
    """Staff of the institution see every letter; an OPD operator sees it once it is sent."""
    if not user.is_authenticated or user.institution_id != letter.cycle.institution_id:
        return False
    return is_staff_member(user) or is_recipient_operator(user, letter)


def letters_visible_to(user):
    """can_view_letter as a queryset, for lists (the API's): every letter of the staff's
    institution; for an OPD operator the dispatched letters addressed to their OPDs."""
    if not user.is_authenticated or user.institution_id is None:
        return Letter.objects.none()
    letters = Letter.objects.filter(cycle__institution_id=user.institution_id)
    if is_staff_member(user):
        return letters
    addressed = Letter.recipients.through.objects.filter(
        letter=OuterRef("pk"), agency__in=[agency.pk for agency in agencies_of(user)]
    )
    return letters.filter(Exists(addressed), status=Letter.Status.DISPATCHED)


def available_actions(user, letter):
    """The actions this user can take on the letter now: a set of action names."""
    status = letter.status
    actions = set()
    if letter.is_editable and can_edit_letter(user, letter):
        actions |= {"edit", "submit"}
    if status == Letter.Status.SUBMITTED and can_dispose_letter(user, letter):
        actions.add("dispose")
    if status == Letter.Status.APPROVED and can_number_letter(user, letter):
        actions.add("number")
    if status == Letter.Status.NUMBERED and can_sign_letter(user, letter):
        actions.add("sign")
    if status == Letter.Status.SIGNED and can_dispatch_letter(user, letter):
        actions.add("dispatch")
    return actions


def get_letter_or_404(user, pk):
    """A letter the user may see; another institution's letter, or one not (yet) sent to
    the operator's OPD, is a 404."""
    letter = get_object_or_404(
        Letter.objects.select_related("cycle__institution", "cycle__sop", "created_by")
        .prefetch_related("recipients")
        .filter(cycle__institution_id=user.institution_id),
        pk=pk,
    )
    if not can_view_letter(user, letter):
        raise Http404
    return letter


def can_manage_issuing_units(user, institution):
    """The institution's administrator sets its issuing units (their registers and kop)."""
    return (
        user.is_authenticated
        and institution is not None
        and user.institution_id == institution.pk
        and has_role(user, Role.ADMIN)
    )


def get_issuing_unit_or_404(user, pk):
    """An issuing unit of the administrator's own institution; any other is a 404."""
    if not can_manage_issuing_units(user, user.institution if user.is_authenticated else None):
        raise Http404
    return get_object_or_404(IssuingUnit, pk=pk, institution_id=user.institution_id)
