"""Frameworks are installation-wide reference data: every logged-in user may read them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import queries


@login_required
def framework_list(request):
    return render(
        request, "frameworks/framework_list.html", {"frameworks": queries.frameworks_for_list()}
    )


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
