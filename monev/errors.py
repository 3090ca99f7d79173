"""The 500 page. Django's own handler renders 500.html without the request; this one also
says whether the error came from the database, the one failure the person can do nothing
about but wait (and the one an administrator is asked about)."""

import sys

from django.db import DatabaseError
from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    # Called while the exception is being handled, so sys.exc_info() is the error.
    database = isinstance(sys.exc_info()[1], DatabaseError)
    # No request passed: the context processors query the database (the user, the
    # membership), which may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html", {"database": database}))
