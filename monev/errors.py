"""The 500 page. Django's own handler renders 500.html without the request; this one also
says whether the error came from the database, the one failure the person can do nothing
about but wait (and the one an administrator is asked about). The 404 of an address under
/api/ that no route matches is problem details, as every other error of the API."""

import sys

from django.db import DatabaseError
from django.http import HttpResponseServerError
from django.template import loader
from django.views import defaults

from monev.api import is_api, not_found_detail, problem_response


def server_error(request):
    # Called while the exception is being handled, so sys.exc_info() is the error.
    database = isinstance(sys.exc_info()[1], DatabaseError)
    # No request passed: the context processors query the database (the user, the
    # membership), which may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html", {"database": database}))


def not_found(request, exception):
    if is_api(request):
        return problem_response(404, not_found_detail())
    return defaults.page_not_found(request, exception)
