from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from recap import queries
from recap.forms import RecapFilterForm
from recap.permissions import get_recap_cycle_or_404
from recap.xlsx import recap_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def recap_matrix(request, pk):
    cycle = get_recap_cycle_or_404(request.user, pk)
    form = RecapFilterForm(request.GET)
    matrix = queries.recap_matrix(cycle, filters=form.filters())
    context = {"cycle": cycle, "matrix": matrix, "form": form, "states": queries.STATES}
    return render(request, "recap/recap_matrix.html", context)


@login_required
def recap_xlsx(request, pk):
    cycle = get_recap_cycle_or_404(request.user, pk)
    response = HttpResponse(recap_workbook(cycle), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rekap-monev-spbe-{cycle.year}.xlsx"'
    return response
