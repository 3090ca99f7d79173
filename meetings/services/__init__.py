"""Every write to the coordination meeting (SOP step 6): scheduling it with its invitees and
equipment checklist, drafting its invitation letter (which then runs the letters' own flow),
the attendance desk, opening the meeting on the SOP clock, the minutes, and its documents.

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event (target: the meeting,
so it is filed under the cycle) and notifies people (e-mails leave after commit, see
notifications.services.notify).

The package, in the order of the meeting: schedule (scheduling and moving it), invitees (who
is invited by default), equipment (the room's checklist), invitation (its invitation letter),
attendance (the daftar hadir: walk-ins, check-in), running (opening it on the SOP clock, the
minutes), documents (daftar hadir and notulen PDFs). Import from the package:
`from meetings import services`.
"""

from meetings.services._common import meeting_url
from meetings.services.attendance import NAME_LENGTH, add_attendee, check_in
from meetings.services.documents import (
    BLANK_ROWS,
    DOCUMENTS,
    attendance_document,
    document_source,
    minutes_document,
)
from meetings.services.equipment import (
    EQUIPMENT_NAME_LENGTH,
    EQUIPMENT_NOTE_LENGTH,
    equipment_lines,
    set_equipment,
)
from meetings.services.invitation import draft_meeting_invitation
from meetings.services.invitees import INVITED_ROLES
from meetings.services.running import (
    MAX_MINUTES_LENGTH,
    absent_to_notify,
    conflict_error,
    save_minutes,
    start_meeting,
    start_refusal,
)
from meetings.services.schedule import (
    MAX_DURATION,
    MIN_DURATION,
    PLACE_LENGTH,
    default_duration,
    schedule_meeting,
)

__all__ = [
    "BLANK_ROWS",
    "DOCUMENTS",
    "EQUIPMENT_NAME_LENGTH",
    "EQUIPMENT_NOTE_LENGTH",
    "INVITED_ROLES",
    "MAX_DURATION",
    "MAX_MINUTES_LENGTH",
    "MIN_DURATION",
    "NAME_LENGTH",
    "PLACE_LENGTH",
    "absent_to_notify",
    "add_attendee",
    "attendance_document",
    "check_in",
    "conflict_error",
    "default_duration",
    "document_source",
    "draft_meeting_invitation",
    "equipment_lines",
    "meeting_url",
    "minutes_document",
    "save_minutes",
    "schedule_meeting",
    "set_equipment",
    "start_meeting",
    "start_refusal",
]
