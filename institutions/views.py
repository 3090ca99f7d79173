from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cycles.queries import running_steps_for
from institutions import permissions, services
from institutions.forms import ImportForm
from institutions.models import Function, Role, User
from letters.queries import data_requests_for, letters_for_inbox

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
    roles = permissions.roles_of(request.user)
    sections = [f"institutions/home/{role}.html" for role in HOME_SECTIONS if role in roles]
    context = {
        "sections": sections,
        "agencies": permissions.agencies_of(request.user),
        "steps": running_steps_for(request.user, roles),
        "letters": letters_for_inbox(request.user),
        "requests": data_requests_for(request.user),
    }
    if request.user.institution_id:
        institution = request.user.institution
        context["agency_count"] = institution.agencies.filter(is_active=True).count()
        cycles = list(institution.cycles.all()[:4])
        context["latest_cycle"] = cycles[0] if cycles else None
        context["earlier_cycles"] = cycles[1:]
    return render(request, "institutions/home.html", context)


def _require_staff(user):
    if not user.institution_id or not permissions.is_staff_member(user):
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


IMPORTS = {
    "opd": (services.import_agencies, services.AGENCY_COLUMNS, ["nama", "singkatan"]),
    "pengguna": (services.import_users, services.USER_COLUMNS, ["username", "nama", "peran"]),
}


@login_required
def import_rows(request, kind):
    _require_people_manager(request.user)
    if kind not in IMPORTS:
        raise Http404
    import_function, columns, required = IMPORTS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.read_table(form.cleaned_data["file"], required=required)
        except services.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            report = import_function(request.user.institution, rows, by=request.user)
            if report.ok:
                messages.success(
                    request,
                    _("Impor selesai: %(created)d baru, %(updated)d diperbarui.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("agency_list" if kind == "opd" else "people")
    context = {
        "form": form,
        "kind": kind,
        "columns": columns,
        "required": required,
        "report": report,
        "functions": Function.choices,
        "roles": services.ROLE_ALIASES,
    }
    return render(request, "institutions/import.html", context)
