"""Frameworks are installation-wide reference data: every logged-in user may read them; the
installation's administrator loads their files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from . import queries
from .forms import FrameworkFileForm
from .permissions import can_load_frameworks
from .scoring import FrameworkError
from .services import LoadOutcome, import_framework

OUTCOME_MESSAGES = {
    LoadOutcome.CREATED: gettext_lazy("Kerangka %(name)s versi %(version)s dimuat."),
    LoadOutcome.UPDATED: gettext_lazy("Kerangka %(name)s versi %(version)s diperbarui."),
    LoadOutcome.UNCHANGED: gettext_lazy(
        "Berkas ini sama dengan kerangka %(name)s versi %(version)s yang sudah dimuat; tidak "
        "ada yang berubah."
    ),
}


@login_required
def framework_list(request):
    context = {
        "frameworks": queries.frameworks_for_list(),
        "can_load": can_load_frameworks(request.user),
    }
    return render(request, "frameworks/framework_list.html", context)


@login_required
def framework_load(request):
    """The installation's administrator loads a framework file (as manage.py
    load_frameworks): every problem of the file is listed and nothing is written."""
    if not can_load_frameworks(request.user):
        raise Http404
    posted = request.method == "POST"
    form = FrameworkFileForm(request.POST, request.FILES) if posted else FrameworkFileForm()
    problems = []
    if posted and form.is_valid():
        try:
            framework, outcome = import_framework(form.cleaned_data["file"], by=request.user)
        except FrameworkError as error:
            problems = error.problems
        else:
            values = {"name": framework.name, "version": framework.version}
            messages.success(request, OUTCOME_MESSAGES[outcome] % values)
            return redirect("framework_detail", framework.code, framework.version)
    context = {"form": form, "problems": problems}
    return render(request, "frameworks/framework_load.html", context)


@login_required
def framework_detail(request, code, version):
    framework = queries.get_framework(code, version)
    context = {
        "framework": framework,
        "rows": queries.tree_rows(framework),
        "capability_models": framework.capability_models.values(),
        "level_rows": queries.level_table(framework),
        "bands": queries.band_rows(framework),
    }
    return render(request, "frameworks/framework_detail.html", context)


@login_required
def indicator_detail(request, code, version, node_code):
    framework = queries.get_framework(code, version)
    context = {"framework": framework, **queries.indicator_page(framework, node_code)}
    return render(request, "frameworks/indicator_detail.html", context)
