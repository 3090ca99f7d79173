"""The API's authentication by personal token (institutions.ApiToken); the session's
(with its CSRF check) is DRF's own."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from institutions.services.tokens import user_for_token


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer monev_…` with a personal token (institutions.ApiToken). An
    unknown, revoked or expired token is a 401, never an anonymous request."""

    keyword = "bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization tidak sah."))
        found = user_for_token(parts[1].decode(errors="replace"))
        if found is None:
            raise exceptions.AuthenticationFailed(
                _("Token tidak dikenal, sudah dicabut, atau sudah kedaluwarsa.")
            )
        return found

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "monev_… (docs/api.md)"}
