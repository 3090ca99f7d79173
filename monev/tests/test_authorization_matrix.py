"""The authorization matrix: EVERY URL pattern requested (GET) by every audience, compared
with the one table below.

Audiences: anonymous; each role of the owning institution (Kota Pontianak of the demo); the
OPD operator whose OPD owns the object (BKPSDM) and another OPD's operator (Dinkes); the
same roles of another institution (Kota Pangkalpinang: "foreign_<role>"); the installation's
administrator (a superuser without an institution). The URL kwargs come from one data set:
the demo's finished cycle of last year. One Client per persona, logged in once.

A URL pattern missing from the table fails with "add <name> to the authorization table": a
new URL is placed in the matrix when it is added. Writes are covered by each app's tests:
for POST-only views the matrix checks that a GET leaks nothing (405, 404 or a redirect).
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import ResultsGrant
from assessments.services import grant_results_access
from cycles.models import TeamMember
from demo import builder as demo
from documents.models import Document, DocumentTemplate, GenerationJob
from documents.services import upload_template
from followups.models import Finding, FollowUp
from institutions.models import Agency, ApiToken, Institution, User
from institutions.services.tokens import create_api_token
from letters.models import IssuingUnit
from meetings.models import Attendee
from notifications.models import Notification
from reports.evaluation import start_evidence_package
from reports.models import SignedReport
from submissions.models import Submission

# --- Outcomes and audiences ------------------------------------------------------------------

OK = 200
LOGIN = "login"  # redirected to the login page
REDIRECT = "redirect"  # redirected elsewhere
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
SAME = "same"  # for `foreign`: another institution's roles get what ours get (own lists)
UNAUTHORIZED = 401  # the API's answer to anonymous requests (problem details, no redirect)

STAFF = ("coordinator", "supervisor", "secretariat", "evaluator", "leader", "admin")
FOREIGN = tuple(f"foreign_{role}" for role in STAFF) + ("foreign_opd",)
AUDIENCES = ("anon", *STAFF, "own_opd", "other_opd", *FOREIGN, "superuser")

# Who plays each audience (demo usernames): Kota Pontianak owns the data set, BKPSDM is the
# OPD that owns its submission, evidence and follow-up; Kota Pangkalpinang is "foreign".
PERSONAS = {
    "coordinator": "koordinator",
    "supervisor": "kabid",
    "secretariat": "sekretariat",
    "evaluator": "evaluator",
    "leader": "sekda",
    "admin": "admin",
    "own_opd": "opd-bkpsdm",
    "other_opd": "opd-dinkes",
    "foreign_coordinator": "pkp-koordinator",
    "foreign_supervisor": "pkp-kabid",
    "foreign_secretariat": "pkp-sekretariat",
    "foreign_evaluator": "pkp-evaluator",
    "foreign_leader": "pkp-sekda",
    "foreign_admin": "pkp-admin",
    "foreign_opd": "pkp-opd-bkpsdm",
    "superuser": demo.INSTALLATION_ADMIN,
}


@dataclass(frozen=True)
class Row:
    """One URL pattern: the object its `pk` names (a key of the data set, None when it has
    none), other kwargs taken from the data set (`use`) or fixed, and the expected outcome
    per audience."""

    on: str | None
    expected: dict
    use: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)


def row(
    on=None,
    *,
    anon=LOGIN,
    staff=OK,
    opd=NOT_FOUND,
    foreign=NOT_FOUND,
    superuser=NOT_FOUND,
    use=None,
    fixed=None,
    **each,
):
    """A row with the common case as defaults: the staff of the owning institution see it,
    anonymous users are sent to log in; OPD operators, other institutions and the
    installation's administrator get 404. `opd` sets both OPD operators; `each` overrides
    one audience (coordinator=..., own_opd=..., foreign_opd=...); foreign=SAME gives each
    role of the other institution what the same role here gets (pages about one's own
    institution)."""
    unknown = set(each) - set(AUDIENCES)
    assert not unknown, f"unknown audiences {unknown}"
    expected = {"anon": anon, **dict.fromkeys(STAFF, staff), "own_opd": opd, "other_opd": opd}
    expected |= each
    if foreign == SAME:
        expected |= {f"foreign_{role}": expected[role] for role in STAFF}
        expected["foreign_opd"] = expected["own_opd"]
    else:
        expected |= dict.fromkeys(FOREIGN, foreign)
    expected |= {audience: each[audience] for audience in FOREIGN if audience in each}
    expected["superuser"] = superuser
    ordered = {audience: expected[audience] for audience in AUDIENCES}
    return Row(on, ordered, use or {}, fixed or {})


def everyone(outcome, **options):
    """The same outcome for every audience, logged in or not."""
    options = {"anon": outcome, "staff": outcome, "opd": outcome, "foreign": outcome} | options
    return row(**{"superuser": outcome} | options)


def signed_in(outcome=OK, on=None):
    """Every logged-in user gets `outcome` (their own account, the frameworks)."""
    return row(on, staff=outcome, opd=outcome, foreign=outcome, superuser=outcome)


def post_only(on=None):
    """A POST-only view: a GET leaks nothing (405 once past the login check)."""
    return signed_in(NOT_ALLOWED, on)


def managers(*roles, on=None, foreign=NOT_FOUND, **options):
    """Pages of a few roles (the administrator's user pages, the coordinator's templates):
    the other staff get 404 too."""
    return row(on, staff=NOT_FOUND, foreign=foreign, **dict.fromkeys(roles, OK), **options)


def api_row(on=None, **options):
    """A row of the API (/api/v1/): as `row`, but an anonymous request is answered 401."""
    return row(on, **{"anon": UNAUTHORIZED} | options)


def api_signed_in(outcome=OK, on=None):
    """Every authenticated caller gets `outcome` (own lists, possibly empty; reference data)."""
    return api_row(on, staff=outcome, opd=outcome, foreign=outcome, superuser=outcome)


def api_post_only(on=None):
    """An API action without GET: 405 once authenticated (DRF checks authentication first)."""
    return api_signed_in(NOT_ALLOWED, on)


# --- The table -------------------------------------------------------------------------------

TABLE = {
    # Public, or before logging in.
    "login": everyone(OK),
    "logout": everyone(NOT_ALLOWED),  # POST only
    "password_reset": everyone(OK),
    "password_reset_done": everyone(OK),
    "password_reset_confirm": everyone(OK),  # an unknown link: the page says so
    "invitation": everyone(OK),  # likewise
    "set_language": everyone(REDIRECT),  # back where the person was
    "health": everyone(OK),
    "document_verify_lookup": everyone(OK),
    "document_verify": everyone(OK, use={"code": "document_code"}),
    "admin:index": everyone(REDIRECT, superuser=OK),  # to the admin's own login
    # An institution's administrator is told to use "Pengguna" (403), not the admin login.
    "admin_login_gate": row(
        anon=OK, staff=FORBIDDEN, opd=FORBIDDEN, foreign=SAME, superuser=REDIRECT
    ),
    "otp_verify": signed_in(REDIRECT),  # only halfway through a login
    # One's own account and what every user may read.
    "home": signed_in(),
    "account": signed_in(),
    "password_change": signed_in(),
    "otp_enroll": signed_in(),
    "account_api_tokens": signed_in(),  # one's own tokens only
    "account_api_token_revoke": post_only("api_token"),
    "inbox": signed_in(),
    "notifications_read": post_only(),
    "notification_list": signed_in(),
    # Opening one's own notification marks it read and redirects; anyone else's is 404.
    "notification_open": row("notification", staff=NOT_FOUND, coordinator=REDIRECT),
    "framework_list": signed_in(),
    "framework_detail": signed_in(),
    "framework_load": managers(on=None, superuser=OK),  # the installation's administrator
    "indicator_detail": signed_in(),
    "sop_current": signed_in(),
    "sop_detail": row("sop", opd=OK),
    "sop_load": managers("admin", foreign=SAME),  # loading a definition file
    # The institution: OPDs, users, imports.
    "agency_list": row(foreign=SAME),
    "agency_detail": row("agency", own_opd=OK),
    "people": managers("admin", foreign=SAME),
    "person_create": managers("admin", foreign=SAME),
    "person_detail": managers("admin", on="person"),
    "person_edit": managers("admin", on="person"),
    "person_deactivate": managers("admin", on="person"),  # GET: the confirmation
    "person_reset_second_factor": managers("admin", on="person"),  # GET: the confirmation
    "person_invite": post_only("person"),
    "person_reactivate": post_only("person"),
    "person_unlock": post_only("person"),
    "import_rows": managers("admin", foreign=SAME, fixed={"kind": "opd"}),
    "import_confirm": post_only(),
    "institution_settings": managers("admin", on="institution"),
    "institution_logo_remove": post_only("institution"),
    # The cycle.
    "cycle_list": row(foreign=SAME),
    "cycle_open": managers("coordinator", foreign=SAME),
    "cycle_detail": row("cycle", opd=OK),
    "cycle_assignments": row("cycle", opd=OK),  # read-only for the OPDs
    "cycle_assignments_copy": post_only("cycle"),
    "cycle_assignments_rest": post_only("cycle"),
    "cycle_history": row("cycle"),
    "cycle_compliance": row("cycle"),
    # The evaluator team's decree: every staff role reads it, the coordinator and the
    # administrator keep it.
    "team_decree": row("cycle"),
    "team_decree_download": row("cycle"),
    "team_decree_save": post_only("cycle"),
    "team_decree_upload": post_only("cycle"),
    "team_decree_confirm": post_only("cycle"),
    "team_member_add": post_only("cycle"),
    "team_member_edit": managers("coordinator", "admin", on="cycle"),
    "team_member_remove": post_only("cycle"),
    # Letters (steps 1-3): the invitation letter is addressed to every OPD.
    "cycle_letters_draft": post_only("cycle"),
    "cycle_circular_draft": post_only("cycle"),
    "issuing_unit_list": managers("admin", foreign=SAME),
    "issuing_unit_add": managers("admin", foreign=SAME),
    "issuing_unit_edit": managers("admin", on="issuing_unit"),
    "letter_detail": row("letter", opd=OK),
    "letter_pdf": row("letter", opd=OK),
    "letter_docx": row("letter", opd=OK),
    "letter_edit": row("letter", staff=REDIRECT, opd=REDIRECT),  # GET: back to the letter
    # The demo signs by internal approval: there is no uploaded file to serve to anyone.
    "letter_signed_file": row("letter", staff=NOT_FOUND),
    "letter_submit": post_only("letter"),
    "letter_dispose": post_only("letter"),
    "letter_number": post_only("letter"),
    "letter_sign": post_only("letter"),
    "letter_dispatch": post_only("letter"),
    # Documents and Word templates.
    "cycle_documents": row(),
    "document_download": row("document"),
    "job_status": row("job"),
    "template_list": managers("coordinator", "admin", foreign=SAME),
    "template_kind": managers("coordinator", "admin", foreign=SAME),
    "template_default": managers("coordinator", "admin", foreign=SAME),
    "default_letter_template": managers("coordinator", "admin", foreign=SAME),
    "template_file": managers("coordinator", "admin", on="template"),
    "letter_template": signed_in(REDIRECT),  # to the page of the "letter" kind
    # The OPD portal, the answers and their data dukung (step 4).
    "portal": row(own_opd=OK),
    "portal_submit_all": post_only(),
    "submission_edit": row(own_opd=OK),
    "submission_autosave": everyone(NOT_ALLOWED),  # POST only, checked before the login
    "submission_submit": post_only(),
    "agency_reopen": post_only(),
    "review_list": row(),
    "review_indicator": row(),
    "collection_close": post_only(),
    "submission_return": post_only("submission"),
    "submission_accept": post_only("submission"),
    "evidence_submission": row("submission", own_opd=OK),
    "evidence_download": row("revision", own_opd=OK),
    "evidence_reuse": row(own_opd=OK),
    "evidence_upload": post_only("submission"),
    "evidence_link": post_only("submission"),
    "evidence_attach": post_only("submission"),
    "evidence_detach": post_only("submission"),
    "evidence_revision": post_only("submission"),
    "evidence_edit": post_only("submission"),
    "evidence_answer_upload": post_only(),
    "evidence_answer_link": post_only(),
    "evidence_preview": row("revision", own_opd=OK),
    # The recap (step 5).
    "recap": row("cycle"),
    "recap_xlsx": row("cycle"),
    # The meeting (step 6): the OPDs are invited; its PDFs are the staff's.
    "meeting_detail": row(opd=OK),
    "meeting_attendance_pdf": row(opd=FORBIDDEN),
    "meeting_minutes_pdf": row(opd=FORBIDDEN),
    "meeting_schedule": post_only(),
    "meeting_equipment": post_only(),
    "meeting_invitation": post_only(),
    "meeting_attendee_add": post_only(),
    "meeting_check_in": post_only(),
    "meeting_check_in_self": post_only(),
    "meeting_start": post_only(),
    "meeting_minutes": post_only(),
    "meeting_minutes_autosave": everyone(NOT_ALLOWED),  # POST only, checked before the login
    # The result (steps 6-7): final in the data set, so meeting mode sends back to it.
    "assessment_result": row(),
    "decision_edit": row(),
    "meeting_mode": row(staff=REDIRECT),
    "meeting_indicator": row(),
    "meeting_decision": post_only(),
    "national_result": managers("coordinator"),
    "reconciliation": row(),
    "year_over_year": row(),
    "official_form_download": row(),
    "assessment_finalize": post_only(),
    "assessment_reopen": post_only(),
    # Findings and follow-ups: an OPD sees the follow-ups assigned to it.
    "findings": row(),
    "finding_add": post_only(),
    "finding_edit": post_only("finding"),
    "finding_delete": post_only("finding"),
    "follow_up_create": post_only("finding"),
    "follow_up_list": row(opd=OK),
    "follow_up_detail": row("follow_up", own_opd=OK),
    # Reports (steps 7-8).
    "report_list": row(),
    "report_prepare": post_only(),
    "report_detail": row("report"),
    "report_pdf": row("report"),
    "report_docx": row("report"),
    "report_signed_file": row("report", staff=NOT_FOUND),  # signed internally, as the letters
    "report_edit": post_only("report"),
    "report_number": post_only("report"),
    "report_route": post_only("report"),
    "report_approve": post_only("report"),
    "report_upload": post_only("report"),
    "executive_brief": row(),
    "executive_brief_pdf": row(),
    "evaluation": row(),
    "evaluation_generate": post_only(),
    "evaluation_package": post_only(),
    "evaluation_approval_edit": post_only(),
    "evaluation_approve": post_only(),
    "evaluation_upload": post_only(),
    "evaluation_download": row(fixed={"format": "pdf"}),
    "evaluation_signed_file": row(staff=NOT_FOUND),  # signed internally, as the letters
    # The API (/api/v1/): each view finds its object through the page's access helper, so
    # a row matches its page's, except that an anonymous caller gets 401. Lists without a
    # cycle are "own" lists: an OPD operator and another institution get their own rows
    # (possibly none), 200 rather than a 404.
    "api_schema": everyone(OK),  # the schema and its docs are public (no data)
    "api_docs": everyone(OK),
    "api_me": api_signed_in(),
    "api_token_list": api_signed_in(),  # the caller's own tokens
    "api_token_revoke": api_post_only("api_token"),
    "api_agency_list": api_signed_in(),
    "api_agency_detail": api_row("agency", own_opd=OK),
    "api_agency_import": api_post_only(),
    "api_user_list": api_signed_in(),
    "api_user_detail": managers("admin", on="person", anon=UNAUTHORIZED),
    "api_user_deactivate": api_post_only("person"),
    "api_user_reactivate": api_post_only("person"),
    "api_user_unlock": api_post_only("person"),
    "api_user_reset_second_factor": api_post_only("person"),
    "api_user_invite": api_post_only("person"),
    "api_user_import": api_post_only(),
    # Unlike the cycle list page, an OPD operator gets the cycles their OPD takes part in.
    "api_cycle_list": api_signed_in(),
    "api_cycle_detail": api_row("cycle", opd=OK),
    "api_assignment_list": api_signed_in(),
    "api_submission_list": api_signed_in(),
    "api_submission_detail": api_row("submission", own_opd=OK),
    "api_submission_submit": api_post_only("submission"),
    "api_submission_return": api_post_only("submission"),
    "api_submission_accept": api_post_only("submission"),
    "api_agency_answer": api_row(own_opd=OK),  # BKPSDM's answer to the data set's indicator
    "api_answer_evidence": api_row("submission", own_opd=OK),
    "api_agency_answer_evidence": api_post_only(),
    "api_evidence_detail": api_row("evidence", own_opd=OK),
    "api_evidence_revision": api_post_only("evidence"),
    "api_evidence_download": api_row("revision", own_opd=OK),
    "api_results": api_row(),
    "api_results_what_if": api_post_only(),
    "api_results_plan": api_row(),
    "api_decision_list": api_row(opd=OK),  # no row for the OPDs (may open the cycle)
    # The province view: Kota Pontianak has granted Kota Pangkalpinang read access to its
    # results (the data set): the grantee's staff and the installation's administrator
    # read them, never the OPDs.
    "api_results_grant_list": api_signed_in(),
    "api_results_grant_received": api_signed_in(),  # empty but for the grantee's staff
    "api_results_grant_revoke": api_post_only("results_grant"),
    "api_institution_cycle_list": api_row(foreign=OK, foreign_opd=NOT_FOUND, superuser=OK),
    "api_institution_results": api_row(foreign=OK, foreign_opd=NOT_FOUND, superuser=OK),
    "api_meeting_list": api_signed_in(),  # the meetings one is invited to, for the OPDs
    "api_meeting_detail": api_row(opd=OK),
    "api_meeting_attendee_list": api_row(opd=OK),  # an invited operator: their own row
    "api_meeting_check_in": api_post_only("attendee"),
    "api_meeting_check_in_self": api_post_only(),
    "api_document_list": api_signed_in(),
    "api_document_detail": api_row("document"),
    "api_document_download": api_row("document"),
    "api_document_verify": everyone(OK, use={"code": "document_code"}),  # public
    "api_letter_list": api_row(opd=OK, foreign=OK, superuser=OK),
    "api_letter_detail": api_row("letter", opd=OK),
    "api_letter_pdf": api_row("letter", opd=OK),
    "api_letter_docx": api_row("letter", opd=OK),
    "api_letter_signed_pdf": api_row("letter", staff=NOT_FOUND),  # signed internally
    "api_letter_submit": api_post_only("letter"),
    "api_letter_approve": api_post_only("letter"),
    "api_letter_return": api_post_only("letter"),
    "api_letter_number": api_post_only("letter"),
    "api_letter_sign": api_post_only("letter"),
    "api_letter_dispatch": api_post_only("letter"),
    "api_framework_list": api_signed_in(),
    "api_framework_detail": api_signed_in(),
    "api_framework_import": api_post_only(),  # POST: the installation's administrator
    "api_sop_list": api_signed_in(),  # the caller's institution's versions
    "api_sop_detail": api_row("sop", opd=OK),
    "api_sop_import": api_post_only(),  # POST: the institution's administrator
    "api_audit_event_list": api_signed_in(),
    "api_follow_up_list": api_signed_in(),
    "api_follow_up_detail": api_row("follow_up", own_opd=OK),
    "api_follow_up_progress": api_post_only("follow_up"),
    "api_finding_list": api_row(opd=OK),  # no row for the OPDs (may open the cycle)
    "api_finding_detail": api_post_only("finding"),  # PATCH and DELETE only
    "api_finding_follow_up_create": api_post_only("finding"),
}


# --- Collecting the URL patterns -------------------------------------------------------------

# Outside the app: Django admin's own pages (only its root is checked) and static files.
SKIPPED_NAMESPACES = {"admin"}
CHECKED_IN_SKIPPED = {"admin:index"}


def url_patterns(patterns=None, namespace="", prefix=""):
    """[(name, route)] of every named URL pattern, walking includes recursively."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found += url_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            top = namespace.split(":")[0]
            if top in SKIPPED_NAMESPACES and name not in CHECKED_IN_SKIPPED:
                continue
            found.append((name, prefix + str(pattern.pattern)))
    return found


PATTERNS = url_patterns()


def test_every_url_pattern_is_named_once():
    names = [name for name, _route in PATTERNS]
    assert None not in names, "every URL pattern needs a name to be placed in the table"
    assert sorted(name for name in names if names.count(name) > 1) == []


def test_the_table_names_only_existing_urls():
    names = {name for name, _route in PATTERNS}
    assert sorted(set(TABLE) - names) == []


# --- The data set ----------------------------------------------------------------------------


def shared_objects(institution):
    """{key: pk or value} the URL kwargs are filled from: last year's finished cycle and
    what belongs to it, with BKPSDM (own_opd) as the owning OPD where an object has one."""
    cycle = institution.cycles.get(year=timezone.localdate().year - 1)
    own = Agency.objects.get(institution=institution, short_name="BKPSDM")
    submission = (
        Submission.objects.filter(cycle=cycle, agency=own, evidence__isnull=False)
        .order_by("pk")
        .first()
    )
    evidence = submission.evidence.order_by("pk").first()
    indicator = submission.indicator
    framework = cycle.framework
    document = Document.objects.get(cycle=cycle, kind="evaluation", format="pdf", version=1)
    return {
        "institution": institution.pk,
        "issuing_unit": IssuingUnit.objects.get(institution=institution, is_secretariat=True).pk,
        "team_member": TeamMember.objects.filter(decree__cycle=cycle).order_by("pk").first().pk,
        "cycle": cycle.pk,
        "agency": own.pk,
        "letter": cycle.letters.order_by("pk").first().pk,
        "submission": submission.pk,
        "evidence": evidence.pk,
        "revision": evidence.revisions.order_by("pk").first().pk,
        "indicator": indicator.pk,
        "attendee": Attendee.objects.filter(meeting__cycle=cycle).order_by("pk").first().pk,
        "finding": Finding.objects.filter(cycle=cycle).order_by("pk").first().pk,
        "follow_up": FollowUp.objects.get(cycle=cycle, agency=own).pk,
        "report": SignedReport.objects.filter(cycle=cycle).order_by("pk").first().pk,
        "document": document.pk,
        "document_code": document.code,
        "job": GenerationJob.objects.filter(cycle=cycle).order_by("pk").first().pk,
        "template": DocumentTemplate.objects.get(institution=institution).pk,
        "person": User.objects.get(username="evaluator").pk,
        "api_token": ApiToken.objects.get(user__username="koordinator").pk,
        "results_grant": ResultsGrant.objects.get(grantor=institution).pk,
        "notification": Notification.objects.filter(user__username="koordinator").first().pk,
        "sop": cycle.sop.pk,
        "framework_code": framework.code,
        "framework_version": framework.version,
        "node_code": indicator.code,
    }


def url_kwargs(route, row, data):
    """The kwargs of a route: `pk` is the row's object, the others by their name unless the
    row says otherwise."""
    by_name = {
        "institution_pk": data["institution"],
        "cycle_pk": data["cycle"],
        "agency_pk": data["agency"],
        "node_pk": data["indicator"],
        "attendee_pk": data["attendee"],
        "member_pk": data["team_member"],
        "evidence_pk": data["evidence"],
        "kind": "evaluation",
        "code": data["framework_code"],
        "version": data["framework_version"],
        "node_code": data["node_code"],
        "fmt": "xlsx",
        "uidb64": "MQ",
        "token": "bukan-token",
    }
    kwargs = {}
    for part in route.split("<")[1:]:
        name = part.split(">")[0].split(":")[-1]
        if name in row.fixed:
            kwargs[name] = row.fixed[name]
        elif name in row.use:
            kwargs[name] = data[row.use[name]]
        else:
            kwargs[name] = data[row.on] if name == "pk" else by_name[name]
    return kwargs


def add_what_the_demo_lacks(institution):
    """The institution's own Word template for the Dokumen Evaluasi (the shipped one), a
    background job (the evidence package of last year, built again), the coordinator's API
    token, and read access to the results granted to Kota Pangkalpinang (the province view)."""
    coordinator = User.objects.get(username="koordinator")
    shipped = Path(__file__).resolve().parents[2] / "reports" / "docx" / "evaluation.docx"
    upload_template(
        institution,
        by=coordinator,
        kind="evaluation",
        uploaded_file=SimpleUploadedFile("evaluasi.docx", shipped.read_bytes()),
    )
    cycle = institution.cycles.get(year=timezone.localdate().year - 1)
    start_evidence_package(cycle, by=coordinator)
    create_api_token(by=coordinator, name="Matriks otorisasi")
    grant_results_access(
        by=User.objects.get(username="admin"),
        grantee=Institution.objects.get(slug="pangkalpinang"),
    )


@dataclass
class Matrix:
    media: Path
    data: dict
    clients: dict  # audience -> its persona's Client


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo built once for this module, with one logged-in Client per persona (their
    sessions committed with it); each test still runs in its own transaction."""
    media = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as the autouse fixture
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        demo.build()
        institution = Institution.objects.get(slug="pontianak")
        add_what_the_demo_lacks(institution)
        clients = {"anon": Client(raise_request_exception=False)}
        for audience, username in PERSONAS.items():
            clients[audience] = Client(raise_request_exception=False)
            clients[audience].force_login(User.objects.get(username=username))
        yield Matrix(media, shared_objects(institution), clients)
        call_command("flush", interactive=False, verbosity=0)


def outcome(response):
    if response.status_code in (301, 302, 303, 307, 308):
        login = redirect_to_login("/")["Location"].split("?")[0]
        return LOGIN if response["Location"].startswith(login) else REDIRECT
    return response.status_code


def observe(matrix, url):
    """{audience: outcome} of a GET of `url`, in the table's order."""
    observed = {}
    for audience in AUDIENCES:
        response = matrix.clients[audience].get(url)
        observed[audience] = outcome(response)
        if response.streaming:
            # Read to the end: the test client then closes the file (closing the response
            # ourselves would also close the test's database connection).
            b"".join(response.streaming_content)
    return observed


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_url_answers_each_audience_as_the_table_says(matrix, db, settings, name, route):
    settings.MEDIA_ROOT = matrix.media
    assert name in TABLE, f"add {name} to the authorization table"
    expected = TABLE[name]
    url = reverse(name, kwargs=url_kwargs(route, expected, matrix.data))
    assert observe(matrix, url) == expected.expected


# --- What the API's own lists hold -----------------------------------------------------------

# The API's lists without an object in their URL: some answer 200 to another OPD's operator,
# to another institution and to the installation's administrator (their own rows, possibly
# none), so the status alone would not show one of our rows, or another OPD's, among them.
API_LISTS = [name for name, route in PATTERNS if route.startswith("api/v1/") and "<" not in route]

# A list whose rows are themselves objects of a kind: the row's own id names one.
ROW_KIND = {"api_cycle_list": "cycle", "api_agency_list": "agency", "api_user_list": "user"}


def named_in(row, name):
    """{kind: id} a list row names: its cycle, OPD and institution, and itself."""
    named = {}
    for kind in ("cycle", "agency", "institution"):
        value = row.get(kind)
        named[kind] = value["id"] if isinstance(value, dict) else value
    if name in ROW_KIND:
        named[ROW_KIND[name]] = row["id"]
    return named


def test_api_lists_hold_nothing_the_caller_may_not_see(matrix, db, settings):
    settings.MEDIA_ROOT = matrix.media
    ours = Institution.objects.get(slug="pontianak")
    ours_only = {
        "cycle": set(ours.cycles.values_list("pk", flat=True)),
        "agency": set(ours.agencies.values_list("pk", flat=True)),
        "institution": {ours.pk},
        "user": set(ours.users.values_list("pk", flat=True)),
    }
    hidden = {"other_opd": {"agency": {matrix.data["agency"]}}}
    hidden |= dict.fromkeys((*FOREIGN, "superuser"), ours_only)
    checked = dict.fromkeys(hidden, 0)
    for name in API_LISTS:
        for audience, unseen in hidden.items():
            if TABLE[name].expected[audience] != OK:
                continue
            body = matrix.clients[audience].get(reverse(name), {"page_size": 500}).json()
            if not isinstance(body, dict) or "results" not in body:
                continue  # not a list (/me/)
            for row in body["results"]:
                for kind, pk in named_in(row, name).items():
                    assert pk not in unseen.get(kind, ()), (name, audience, row)
                checked[audience] += 1
    # Their own rows were there to check: the test looks at real lists, not empty ones.
    assert checked["other_opd"] > 0
    assert checked["foreign_admin"] > 0
