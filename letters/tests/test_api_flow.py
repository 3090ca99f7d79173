"""SOP steps 1-3 through the API end in the same state as through the pages: the letters,
their dispositions and receipts, the SOP steps, the audit trail and the notifications."""

import datetime

from django.urls import reverse

from audit.models import AuditEvent
from audit.services import target_of
from cycles import services as cycle_services
from cycles.models import StepRun
from letters import services
from letters.models import Letter
from letters.tests.helpers import pdf_bytes, signed_upload
from monev.testing import api_client
from notifications.models import Notification

CONFIRMED = {"confirmed": "yes"}


def state(cycle):
    """What the flow leaves behind in `cycle`, without what differs between two cycles
    (ids, the year, the numbers' sequence)."""
    letters = list(Letter.objects.filter(cycle=cycle).order_by("kind"))
    result = {"steps": [], "letters": {}}
    for run in StepRun.objects.filter(cycle=cycle, number__lte=4).order_by("number"):
        holder = run.holder.username if run.holder else None
        result["steps"].append((run.number, run.status, run.output, holder))
    for letter in letters:
        events = AuditEvent.objects.filter(target=target_of(letter)).order_by("seq")
        notifications = Notification.objects.filter(key__startswith=f"letter:{letter.pk}:")
        result["letters"][letter.kind] = {
            "status": letter.status,
            "signature": letter.signature,
            "signed_file": bool(letter.signed_file),
            "signed_file_sha256": letter.signed_file_sha256,
            "numbered": (letter.number != "", letter.letter_date, letter.issuing_unit_id),
            "dispatched": letter.dispatched_at is not None,
            "dispositions": [
                (
                    d.round,
                    d.verdict,
                    d.note,
                    d.instruction,
                    d.addressed_to,
                    d.submitted_by.username,
                    d.decided_by.username,
                )
                for d in letter.dispositions.order_by("round")
            ],
            "receipts": [
                (r.agency.short_name, r.opened_by_id) for r in letter.receipts.order_by("agency")
            ],
            "events": [
                (
                    event.action,
                    event.actor.username,
                    {k: v for k, v in (event.after or {}).items() if k not in ("number", "date")},
                    event.reason,
                )
                for event in events
            ],
            "notifications": sorted(
                (n.user.username, n.key.split(":", 2)[2], n.read_at is None) for n in notifications
            ),
        }
    return result


def through_the_pages(client, letters, *, coordinator, supervisor, secretariat):
    invitation, data_request = letters
    client.force_login(coordinator)
    for letter in letters:
        assert client.post(reverse("letter_submit", args=[letter.pk])).status_code == 302
    client.force_login(supervisor)
    dispose = reverse("letter_dispose", args=[data_request.pk])
    returned = {"decision": "return", "note": "Tambahkan narahubung kedua."}
    assert client.post(dispose, returned).status_code == 302
    client.force_login(coordinator)
    assert client.post(reverse("letter_submit", args=[data_request.pk])).status_code == 302
    client.force_login(supervisor)
    approved = {"decision": "approve", "instruction": "Segera kirim", "addressed_to": "Sekretaris"}
    for letter in letters:
        assert client.post(reverse("letter_dispose", args=[letter.pk]), approved).status_code == 302
    client.force_login(secretariat)
    for letter in letters:
        response = client.post(reverse("letter_number", args=[letter.pk]), CONFIRMED)
        assert response.status_code == 302
    upload = {"method": "upload", "signed_pdf": signed_upload(content=pdf_bytes()), **CONFIRMED}
    sign = reverse("letter_sign", args=[invitation.pk])
    assert client.post(sign, upload).status_code == 302
    internal = {"method": "internal", **CONFIRMED}
    assert client.post(reverse("letter_sign", args=[data_request.pk]), internal).status_code == 302
    for letter in letters:
        response = client.post(reverse("letter_dispatch", args=[letter.pk]), CONFIRMED)
        assert response.status_code == 302


def through_the_api(letters, *, coordinator, supervisor, secretariat):
    invitation, data_request = letters
    coordinator, supervisor, secretariat = (
        api_client(user) for user in (coordinator, supervisor, secretariat)
    )

    def post(client, letter, action, data=None, status="", **kwargs):
        response = client.post(f"/api/v1/letters/{letter.pk}/{action}/", data, **kwargs)
        assert (response.status_code, response.json()["status"]) == (200, status)

    for letter in letters:
        post(coordinator, letter, "submit", status="submitted")
    post(supervisor, data_request, "return", {"note": "Tambahkan narahubung kedua."}, "returned")
    post(coordinator, data_request, "submit", status="submitted")
    approved = {"instruction": "Segera kirim", "addressed_to": "Sekretaris"}
    for letter in letters:
        post(supervisor, letter, "approve", approved, "approved", format="json")
    for letter in letters:
        post(secretariat, letter, "number", status="numbered")
    upload = {"method": "upload", "signed_pdf": signed_upload(content=pdf_bytes())}
    post(secretariat, invitation, "sign", upload, "signed", format="multipart")
    post(secretariat, data_request, "sign", {"method": "internal"}, "signed")
    for letter in letters:
        post(secretariat, letter, "dispatch", status="dispatched")


def test_the_api_ends_where_the_pages_end(
    client, cycle, coordinator, supervisor, secretariat, agency, other_agency
):
    other_cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=cycle.framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2025, 12, 15),
        contact_person=coordinator,
        contact_phone="0812-5600-1234",
    )
    people = {"coordinator": coordinator, "supervisor": supervisor, "secretariat": secretariat}
    through_the_pages(client, services.draft_cycle_letters(cycle, by=coordinator), **people)
    through_the_api(services.draft_cycle_letters(other_cycle, by=coordinator), **people)

    expected = state(cycle)
    assert state(other_cycle) == expected
    # The end state itself, so two equally wrong flows do not pass.
    assert expected["steps"] == [
        (1, "done", "Surat undangan dan permohonan data (draf)", "koordinator"),
        (2, "done", "Surat telah didisposisikan", "kabid"),
        (3, "done", "Surat ditandatangani dan dikirim ke OPD", "sekretariat"),
        (4, "running", "", None),
    ]
    data_request, invitation = expected["letters"].values()
    assert [invitation["status"], invitation["signature"], invitation["signed_file"]] == [
        "dispatched",
        "upload",
        True,
    ]
    assert [data_request["status"], data_request["signature"]] == ["dispatched", "internal"]
    assert [(d[0], d[1]) for d in data_request["dispositions"]] == [
        (1, "returned"),
        (2, "approved"),
    ]
    assert [e[0] for e in data_request["events"]] == [
        "letter.drafted",
        "letter.submitted",
        "letter.returned",
        "letter.submitted",
        "letter.approved",
        "letter.numbered",
        "letter.signed",
        "letter.dispatched",
    ]
    assert invitation["receipts"] == [("BKPSDM", None), ("Dinkes", None)]
