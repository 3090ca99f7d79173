from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation

from monev.api import is_api

# What the app renders itself: pages, HTMX fragments, JSON and CSV exports.
COMPRESSED_TYPES = ("text/html", "text/plain", "text/csv", "application/json")


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language in the menu.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many civil
    servants use an English-language browser and still expect the Indonesian UI. The API
    (/api/) is the exception: a program states its language in Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language is None and is_api(request):
            language = _accepted(request.headers.get("Accept-Language", ""))
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _accepted(header):
    """The first language of an Accept-Language header that the UI has, else None (the
    languages in the header's order, which is their preference; q-values are not weighed)."""
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in dict(settings.LANGUAGES):
            return code
    return None


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, with its BREACH mitigation (random padding in the gzip header,
    CSRF tokens masked per response), for the text the app renders: a page of the recap or
    the cycle crosses in a quarter to a tenth of its size over the Pemdas' slow links.

    Not for the files it streams (data dukung, documents, evidence packages): PDFs, images,
    DOCX/XLSX and ZIPs are compressed already, and compressing them again would hold a
    worker's CPU and drop their Content-Length. Static files come compressed from WhiteNoise.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
