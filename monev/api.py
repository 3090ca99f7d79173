"""The REST API's common parts (docs/api.md): one error format
(RFC 9457 problem details, in the request's language), pagination, and the helpers every
app's `api.py` uses to answer conditional requests. Authentication: monev/api_auth.py.

The API holds no rule of its own: an app's API view finds its object through the same
access helper as its page (404 for another institution's or OPD's), asks the same
permission predicate, and calls the same service function, whose ValidationError,
PermissionDenied and Http404 become problem details here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response

from monev.converters import parse_id

PROBLEM_TYPE = "about:blank"
PROBLEM_CONTENT_TYPE = "application/problem+json"


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _messages(error):
    """A Django ValidationError as {field: [messages]} ("detail" for a message that names
    no field)."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in errors_] for field, errors_ in error.message_dict.items()}
    return {"detail": [str(m) for m in error.messages]}


TITLES = {
    400: lambda: _("Permintaan tidak valid"),
    401: lambda: _("Perlu autentikasi"),
    403: lambda: _("Tidak diizinkan"),
    404: lambda: _("Tidak ditemukan"),
    405: lambda: _("Metode tidak diizinkan"),
    406: lambda: _("Format tidak tersedia"),
    409: lambda: _("Konflik"),
    412: lambda: _("Versi sudah berubah"),
    413: lambda: _("Berkas terlalu besar"),
    415: lambda: _("Jenis isi tidak didukung"),
    428: lambda: _("Perlu If-Match"),
    429: lambda: _("Terlalu banyak permintaan"),
}


def problem_body(status_code, detail):
    return {
        "type": PROBLEM_TYPE,
        "title": str(TITLES.get(status_code, lambda: _("Galat"))()),
        "status": status_code,
        "detail": str(detail),
    }


def is_api(request):
    """Whether `request` is the API's (its errors are problem details, its language the
    Accept-Language header's), also for the middleware and handlers that run before DRF."""
    return request.path.startswith("/api/")


def problem_response(status_code, detail):
    """Problem details as a plain Django response, for code that answers outside DRF's
    views (a middleware, the 404 handler)."""
    return JsonResponse(
        problem_body(status_code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def problem(status_code, detail, *, errors=None, headers=None):
    """A problem-details response (RFC 9457)."""
    body = problem_body(status_code, detail)
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def not_found_detail():
    return _("Objek tidak ditemukan.")


def _detail_of(errors):
    """The first message of a DRF or Django error structure, as the problem's detail."""
    if isinstance(errors, dict):
        for value in errors.values():
            return _detail_of(value)
    if isinstance(errors, list | tuple) and errors:
        return _detail_of(errors[0])
    return str(errors)


def handle_exception(exc, context):
    """Every error of the API as problem details. A service's ValidationError is a 400
    with its messages per field, or a 409 when the service marks it code="conflict"; a
    PermissionDenied a 403; an Http404 a 404."""
    if isinstance(exc, ValidationError):
        errors = _messages(exc)
        code = getattr(exc, "code", None)
        if code is None and hasattr(exc, "error_list"):
            code = exc.error_list[0].code
        status_code = 400
        if code == "conflict":
            # A stale write: 412 when the client named its version (If-Match), else 409.
            request = context.get("request")
            status_code = 412 if request is not None and "If-Match" in request.headers else 409
        return problem(status_code, _detail_of(errors), errors=errors)
    if isinstance(exc, Http404):
        return problem(404, not_found_detail())
    if isinstance(exc, PermissionDenied):
        return problem(403, _("Anda tidak berwenang melakukan tindakan ini."))
    from rest_framework.views import exception_handler  # DRF's settings import this module

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
        errors = {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in errors.items()
        }
        return problem(400, _detail_of(errors), errors=errors, headers=dict(response.items()))
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    return problem(response.status_code, _detail_of(detail), headers=dict(response.items()))


# The error answers every operation may give (handle_exception), documented once for the
# whole schema by document_problems rather than on each view: a read can be refused (401,
# 403), not found (404, also a page past the last) or given a bad filter (400); a write can
# also meet a newer version (409, 412, 428) or a file too large or of the wrong type (413,
# 415).
READ_PROBLEMS = ("400", "401", "403", "404")
WRITE_PROBLEMS = (*READ_PROBLEMS, "409", "412", "413", "415", "428")
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def document_problems(result, generator, request, public):
    """drf-spectacular's postprocessing hook: every operation answers its errors as problem
    details (`application/problem+json`, the Problem schema), declared or not."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                content = response.get("content", {})
                if content.get("application/json", {}).get("schema") == PROBLEM_REF:
                    content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
            codes = READ_PROBLEMS if method in ("get", "head") else WRITE_PROBLEMS
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": str(TITLES[int(code)]()),
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}},
                    },
                )
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    return result


class ProblemSerializer(serializers.Serializer):
    """The error format, for the schema."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# ProblemSerializer's schema, for the operations that do not name it (document_problems).
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
}


def id_param(request, name):
    """The query parameter `name` as a row id (None when not given); any other value is a
    400 that names the parameter."""
    value = request.query_params.get(name, "")
    if value == "":
        return None
    number = parse_id(value)
    if number is None:
        raise exceptions.ValidationError({name: [_("Isi dengan nomor id.")]})
    return number


def choice_param(request, name, choices):
    """The query parameter `name` as one of `choices` (None when not given); any other value
    is a 400 that names the parameter and the choices."""
    value = request.query_params.get(name, "")
    if value == "":
        return None
    if value not in choices:
        message = _("Nilai tidak dikenal; pilih salah satu: %(choices)s.")
        raise exceptions.ValidationError({name: [message % {"choices": ", ".join(choices)}]})
    return value


def bool_param(request, name):
    """The query parameter `name` as True ("true") or False ("false"), None when not given;
    any other value is choice_param's 400."""
    value = choice_param(request, name, ("true", "false"))
    return None if value is None else value == "true"


def checked_form(form):
    """A page's Django form, valid, for an API view that takes the same input as the page:
    its errors (the page's own messages) are raised as the API's 400."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


def created_or_ok(answer, *, created, location):
    """The answer to a write that may create its object (loading a file): 201 with the new
    object's Location when it did, 200 when it changed or found one."""
    if created:
        return Response(answer, status=201, headers={"Location": location})
    return Response(answer)


def etag_of(version):
    return f'"{version}"'


def check_if_match(request, version, *, required=False):
    """Optimistic concurrency: a write that names the version it was made over (If-Match,
    as the forms' hidden version field) is refused with 412 when the row changed since.
    Returns the version the write should pass to the service."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise PreconditionRequired
        return version
    # A weak tag is ours too: GZipMiddleware weakens the ETag of a response it compresses.
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" in tags or etag_of(version) in tags:
        return version
    raise PreconditionFailed


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Data ini sudah diubah orang lain. Muat ulang lalu ulangi perubahan Anda."
    )


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy("Sertakan header If-Match dengan ETag versi yang Anda ubah.")
