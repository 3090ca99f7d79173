import secrets
from base64 import b32encode
from dataclasses import replace
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cycles.overview import current_progress, latest_finished_result
from cycles.waiting import cached_waiting_for
from documents.letters import letterhead_logo
from institutions import permissions, queries, services
from institutions.forms import (
    ImportForm,
    InstitutionSettingsForm,
    NewUserForm,
    TokenForm,
    UserForm,
)
from institutions.middleware import SECOND_FACTOR_KEY
from institutions.models import Function, Role, User
from institutions.services import settings as institution_settings
from institutions.tokens import invitation_token
from letters.queries import data_requests_for
from submissions.queries import agency_work

# The order in which a person with several roles sees their role sections on the home page.
HOME_SECTIONS = [
    Role.LEADER,
    Role.COORDINATOR,
    Role.SUPERVISOR,
    Role.SECRETARIAT,
    Role.EVALUATOR,
    Role.AGENCY,
    Role.ADMIN,
]


@login_required
def home(request):
    """The person's start: what waits for their action (cycles.waiting), the sections of
    their roles, and for the leaders (Sekda, Kabid) the latest finished result and the
    current cycle's progress."""
    user = request.user
    roles = permissions.roles_of(user)
    sections = [f"institutions/home/{role}.html" for role in HOME_SECTIONS if role in roles]
    # The open cycles' requests only: a finished cycle's letters and answers stay in the
    # inbox and on the OPD's portal of that cycle.
    requests = data_requests_for(user, open_only=True)
    # Each OPD's work in its cycle: the home leads straight into the next indicator.
    work = agency_work([(item.cycle, item.agency) for item in requests])
    waiting = cached_waiting_for(user, work=work)
    context = {
        "sections": sections,
        "memberships": permissions.memberships_of(user),
        "agencies": permissions.agencies_of(user),
        "waiting": waiting,
        "waiting_roles": {item.role for item in waiting},
        "requests": [replace(item, work=w) for item, w in zip(requests, work, strict=True)],
    }
    if user.institution_id:
        institution = user.institution
        if Role.COORDINATOR in roles:
            # Only the coordinator's section shows the cycles (and, before the first one,
            # the number of OPDs).
            cycles = list(institution.cycles.all()[:4])
            context["latest_cycle"] = cycles[0] if cycles else None
            context["earlier_cycles"] = cycles[1:]
            if not cycles:
                context["agency_count"] = institution.agencies.filter(is_active=True).count()
        if roles & {Role.LEADER, Role.SUPERVISOR}:
            context["finished"] = latest_finished_result(user.institution_id)
            context["progress"] = current_progress(user.institution_id)
    return render(request, "institutions/home.html", context)


def _require_staff(user):
    if not permissions.can_view_agencies(user):
        raise Http404


@login_required
def agency_list(request):
    _require_staff(request.user)
    agencies = request.user.institution.agencies.annotate(
        operator_count=Count("memberships", filter=Q(memberships__role=Role.AGENCY))
    )
    return render(request, "institutions/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request, pk):
    agency = permissions.get_agency_or_404(request.user, pk)
    operators = User.objects.filter(
        memberships__agency=agency, memberships__role=Role.AGENCY
    ).order_by("full_name")
    return render(
        request, "institutions/agency_detail.html", {"agency": agency, "operators": operators}
    )


def _require_people_manager(user):
    if not permissions.can_manage_people(user):
        raise Http404


@login_required
def people(request):
    _require_people_manager(request.user)
    users = request.user.institution.users.order_by("username").prefetch_related(
        "memberships__agency"
    )
    return render(request, "institutions/people.html", {"users": users})


@login_required
def person_create(request):
    _require_people_manager(request.user)
    institution = request.user.institution
    form = NewUserForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_user(institution, by=request.user, **form.account_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Akun %(u)s dibuat.") % {"u": person.username})
            if form.cleaned_data["invite"] and person.email:
                services.send_invitation(person, by=request.user)
                messages.success(
                    request, _("Tautan undangan dikirim ke %(e)s.") % {"e": person.email}
                )
            return redirect("person_detail", person.pk)
    return render(request, "institutions/person_form.html", {"form": form})


@login_required
def person_detail(request, pk):
    person = _managed_person(request, pk)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("agency"),
        "is_self": person.pk == request.user.pk,
        "locked_out": queries.is_locked_out(person),
        "has_second_factor": queries.has_second_factor(person),
    }
    return render(request, "institutions/person_detail.html", context)


@login_required
def person_edit(request, pk):
    person = _managed_person(request, pk)
    form = UserForm(
        request.POST or None,
        institution=request.user.institution,
        initial=UserForm.initial_for(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(person, by=request.user, **form.account_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan akun %(u)s disimpan.") % {"u": person.username})
            return redirect("person_detail", person.pk)
    return render(request, "institutions/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_invite(request, pk):
    person = _managed_person(request, pk)
    try:
        link = services.send_invitation(person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("person_detail", person.pk)
    if person.email:
        messages.success(request, _("Tautan dikirim ke %(e)s.") % {"e": person.email})
        return redirect("person_detail", person.pk)
    # No address to send it to: the administrator sees the link this once and passes it on.
    context = {"person": person, "link": link, "days": settings.INVITATION_DAYS}
    return render(request, "institutions/person_invitation.html", context)


@login_required
def person_deactivate(request, pk):
    person = _managed_person(request, pk)
    if request.method == "POST":
        return _run(request, person, services.deactivate_user, _("Akun %(u)s dinonaktifkan."))
    return _confirm(
        request,
        person,
        title=_("Nonaktifkan akun %(u)s?"),
        consequence=_(
            "%(name)s tidak dapat masuk lagi dan sesi yang sedang terbuka berakhir. Namanya "
            "tetap tercatat di jejak audit dan dokumen. Akun dapat diaktifkan kembali kapan saja."
        ),
        button=_("Ya, nonaktifkan"),
    )


@login_required
@require_POST
def person_reactivate(request, pk):
    person = _managed_person(request, pk)
    return _run(request, person, services.reactivate_user, _("Akun %(u)s aktif kembali."))


@login_required
@require_POST
def person_unlock(request, pk):
    person = _managed_person(request, pk)
    return _run(request, person, services.unlock_user, _("Kunci akun %(u)s dibuka."))


@login_required
def person_reset_second_factor(request, pk):
    person = _managed_person(request, pk)
    if request.method == "POST":
        message = _("Verifikasi dua langkah akun %(u)s diatur ulang.")
        return _run(request, person, services.reset_second_factor, message)
    return _confirm(
        request,
        person,
        title=_("Atur ulang verifikasi dua langkah %(u)s?"),
        consequence=_(
            "Aplikasi autentikator %(name)s tidak berlaku lagi; kodenya ditolak. Ia masuk "
            "dengan kata sandi saja, atau mendaftarkan ponselnya lagi bila perannya mewajibkan "
            "verifikasi dua langkah. Lakukan ini hanya setelah memastikan orangnya, mis. "
            "ponselnya hilang."
        ),
        button=_("Ya, atur ulang"),
    )


def _managed_person(request, pk):
    _require_people_manager(request.user)
    return permissions.get_user_or_404(request.user, pk)


def _run(request, person, service, message):
    try:
        service(person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message % {"u": person.username})
    return redirect("person_detail", person.pk)


def _confirm(request, person, *, title, consequence, button):
    context = {
        "person": person,
        "title": title % {"u": person.username},
        "consequence": consequence % {"name": person.get_full_name()},
        "button": button,
    }
    return render(request, "institutions/person_confirm.html", context)


IMPORTS = {
    "opd": (
        services.check_agencies,
        services.import_agencies,
        services.AGENCY_COLUMNS,
        ["nama", "singkatan"],
    ),
    "pengguna": (
        services.check_users,
        services.import_users,
        services.USER_COLUMNS,
        ["username", "nama", "peran"],
    ),
}
# The rows of an upload that passed the check wait here (server-side) until confirmed.
PENDING_IMPORT = "monev_pending_import"


@login_required
def import_rows(request, kind):
    """Upload and check: shows what would be created and updated, or every row's problems.
    Nothing is written here; import_confirm writes the checked rows."""
    _require_people_manager(request.user)
    if kind not in IMPORTS:
        raise Http404
    check, _write, columns, required = IMPORTS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    report = token = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.read_table(form.cleaned_data["file"], required=required)
        except services.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            report = check(request.user.institution, rows, by=request.user)
            if report.ok:
                token = secrets.token_urlsafe(16)
                request.session[PENDING_IMPORT] = {"kind": kind, "token": token, "rows": rows}
    return _import_page(request, kind, form, report, token)


@login_required
@require_POST
def import_confirm(request, kind):
    """Write the rows checked by import_rows (checked again: all rows or none)."""
    _require_people_manager(request.user)
    if kind not in IMPORTS:
        raise Http404
    _check, write, _columns, _required = IMPORTS[kind]
    pending = request.session.get(PENDING_IMPORT) or {}
    if (pending.get("kind"), pending.get("token")) != (kind, request.POST.get("token")):
        messages.warning(
            request, _("Tidak ada impor yang menunggu konfirmasi. Unggah berkasnya lagi.")
        )
        return redirect("import_rows", kind)
    request.session.pop(PENDING_IMPORT, None)
    rows = [(line, row) for line, row in pending["rows"]]
    report = write(request.user.institution, rows, by=request.user, token=pending["token"])
    if not report.ok:
        return _import_page(request, kind, ImportForm(), report, None)
    if report.repeated:
        messages.info(request, _("Impor ini sudah disimpan."))
        return redirect("agency_list" if kind == "opd" else "people")
    messages.success(
        request,
        _("Impor selesai: %(created)d baru, %(updated)d diperbarui.")
        % {"created": report.created, "updated": report.updated},
    )
    return redirect("agency_list" if kind == "opd" else "people")


def _import_page(request, kind, form, report, token):
    _check, _write, columns, required = IMPORTS[kind]
    shown = [column for column in columns if column != "kata_sandi"]
    preview = [
        (planned.line, planned.is_new, [planned.values.get(column, "") for column in shown])
        for planned in (report.planned if report else [])
    ]
    context = {
        "form": form,
        "kind": kind,
        "columns": columns,
        "required": required,
        "report": report,
        "token": token,
        "shown_columns": shown,
        "preview": preview,
        "functions": Function.choices,
        "roles": services.ROLE_ALIASES,
    }
    return render(request, "institutions/import.html", context)


# --- The person's own account: password, second factor -------------------------------------


@login_required
def account(request):
    context = {
        "has_second_factor": queries.has_second_factor(request.user),
        "second_factor_required": permissions.must_use_second_factor(request.user),
    }
    return render(request, "registration/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        user = self.request.user
        services.set_password(
            user, by=user, password=form.cleaned_data["new_password1"], how="change"
        )
        update_session_auth_hash(self.request, user)  # stay signed in here, out elsewhere
        messages.success(self.request, _("Kata sandi Anda telah diubah."))
        return redirect("account")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        # Links in e-mails use the public address, never the Host header of the request.
        return {"site_url": settings.SITE_URL}


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Set a password from a one-time link (forgotten password); success leads to login."""

    template_name = "registration/password_set_form.html"
    how = "reset"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        services.set_password(
            self.user, by=self.user, password=form.cleaned_data["new_password1"], how=self.how
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request, _("Kata sandi Anda tersimpan. Silakan masuk dengan kata sandi baru.")
        )
        return redirect("login")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "how": self.how}


class InvitationView(SetPasswordView):
    """Set the first password from an invitation link (valid INVITATION_DAYS days, once)."""

    token_generator = invitation_token
    how = "invitation"


def _next_url(request, default):
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else resolve_url(default)


@login_required
def otp_verify(request):
    """After the password: the code from the person's authenticator app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or request.session.get(SECOND_FACTOR_KEY) != "verify":
        return redirect(_next_url(request, "home"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if django_otp.verify_token(request.user, device.persistent_id, form.cleaned_data["token"]):
            django_otp.login(request, device)
            del request.session[SECOND_FACTOR_KEY]
            return redirect(_next_url(request, "home"))
        form.add_error(
            "token", _("Kode salah atau sudah lewat. Masukkan kode yang sedang tampil di aplikasi.")
        )
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request, "home")}
    )


ENROLMENT_KEY = "monev_totp_key"


@login_required
def otp_enroll(request):
    """Register an authenticator app: scan the QR code (or type the secret), then confirm
    with a first code. Nothing is stored until the code is right."""
    if request.session.get(SECOND_FACTOR_KEY) == "verify":
        return redirect(
            f"{resolve_url('otp_verify')}?{urlencode({'next': request.get_full_path()})}"
        )
    key = request.session.setdefault(ENROLMENT_KEY, random_hex(20))
    draft = TOTPDevice(user=request.user, key=key)  # not saved: only to draw the QR code
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(draft.bin_key, draft.step, draft.t0, draft.digits, draft.drift)
        if totp.verify(int(form.cleaned_data["token"]), tolerance=1):
            device = services.enable_second_factor(request.user, by=request.user, key=key)
            django_otp.login(request, device)
            request.session.pop(ENROLMENT_KEY, None)
            request.session.pop(SECOND_FACTOR_KEY, None)
            messages.success(request, _("Verifikasi dua langkah aktif untuk akun Anda."))
            return redirect(_next_url(request, "account"))
        form.add_error(
            "token",
            _("Kode salah. Periksa jam ponsel Anda, lalu masukkan kode yang sedang tampil."),
        )
    secret = b32encode(draft.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(segno.make(draft.config_url, error="m").svg_inline(scale=5)),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "forced": request.session.get(SECOND_FACTOR_KEY) == "enroll",
        "has_second_factor": queries.has_second_factor(request.user),
        "next": _next_url(request, "account"),
    }
    return render(request, "registration/otp_enroll.html", context)


def admin_login(request):
    """/admin/ is for the installation's administrators (superusers). Anyone else signed in
    is told where their own work is, instead of Django's bare refusal."""
    if request.user.is_authenticated and not request.user.is_superuser:
        can_manage = permissions.can_manage_people(request.user)
        return render(
            request, "registration/admin_elsewhere.html", {"can_manage": can_manage}, status=403
        )
    return admin.site.login(request)


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out account-and-address (AXES_LOCKOUT_CALLABLE)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/lockout.html", context, status=429)


# --- Pengaturan instansi ------------------------------------------------------------------


@login_required
def institution_settings_page(request, pk):
    """The kop lines, address and contacts, and the coat of arms: the institution's
    administrator only (404 for anyone else, and for another institution)."""
    institution = permissions.get_institution_or_404(request.user, pk)
    form = InstitutionSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial=InstitutionSettingsForm.initial_for(institution),
    )
    if request.method == "POST" and form.is_valid():
        try:
            institution_settings.update_settings(
                institution, by=request.user, values=form.values(), logo=form.cleaned_data["logo"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Pengaturan instansi disimpan."))
            return redirect("institution_settings", institution.pk)
    context = {
        "institution": institution,
        "form": form,
        "logo": letterhead_logo(institution),
        "logo_is_svg": institution.logo.name.endswith(".svg"),
    }
    return render(request, "institutions/settings.html", context)


@login_required
@require_POST
def institution_logo_remove(request, pk):
    institution = permissions.get_institution_or_404(request.user, pk)
    institution_settings.remove_logo(institution, by=request.user)
    messages.success(request, _("Lambang daerah dihapus; kop dokumen dicetak tanpa lambang."))
    return redirect("institution_settings", institution.pk)
