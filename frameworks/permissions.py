"""Who may do what with frameworks. Reading: every signed-in user (they are reference data)."""

from institutions.permissions import is_installation_admin


def can_load_frameworks(user):
    """Loading a framework file: the installation's administrator, since a framework version
    is shared by every institution of the installation."""
    return is_installation_admin(user)
