"""Writes to institutions, agencies and people, split by what they are about: accounts
(institutions, users, roles, invitations, passwords, lockouts, the second factor) and imports
(agencies and users from XLSX/CSV). Every public name is re-exported here."""

from institutions.services.accounts import (  # noqa: F401
    INVITATION_REPEAT,
    LOCKOUT_OWN_ADMIN,
    create_installation_admin,
    create_institution,
    create_user,
    deactivate_user,
    enable_second_factor,
    invitation_link,
    reactivate_user,
    reset_second_factor,
    send_invitation,
    send_invitation_email,
    set_password,
    unlock_user,
    update_user,
)
from institutions.services.imports import (  # noqa: F401
    AGENCY_COLUMNS,
    MAX_IMPORT_BYTES,
    ROLE_ALIASES,
    USER_COLUMNS,
    ImportFileError,
    ImportReport,
    PlannedRow,
    RowError,
    check_agencies,
    check_users,
    import_agencies,
    import_users,
    read_table,
)
