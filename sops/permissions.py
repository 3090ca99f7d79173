"""Who may do what with SOPs. Reading: every user of the institution (queries.get_sop_or_404)."""

from institutions.permissions import can_manage_institution


def can_load_sop(user):
    """Loading a new or changed SOP definition for the institution: its administrator."""
    return user.institution_id is not None and can_manage_institution(user, user.institution)
