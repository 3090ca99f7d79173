"""The one-time link of an invitation: like Django's password reset link, with its own salt and
lifetime (INVITATION_DAYS). It works once: setting the password changes the password hash that
the token is made from, and so invalidates it."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "monev.institutions.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's check_token measures the age against PASSWORD_RESET_TIMEOUT; an invitation
        # has its own lifetime, so the same checks are made here with INVITATION_DAYS.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_DAYS * 24 * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token = InvitationTokenGenerator()
