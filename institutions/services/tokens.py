"""Personal API tokens: created by their user (shown once), listed, revoked. Each public
function is one transaction with an audit event."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from institutions.models import ApiToken

PREFIX = "monev_"
MAX_ACTIVE_TOKENS = 20


def digest_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(*, by, name, expires_at=None):
    """A new token for `by`. Returns (token row, the token's text), the text being shown
    once and never stored. Side effects: audit event "api_token.created"."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Beri nama token, misalnya nama sistem yang memakainya.")})
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("Tanggal berlaku harus di masa depan.")})
    if by.institution_id is None and not by.is_superuser:
        # A person of no institution who is not the installation's administrator.
        raise PermissionDenied
    text = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        active = ApiToken.objects.filter(user=by, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("Anda sudah memiliki %(count)s token aktif. Cabut token yang tidak dipakai.")
                % {"count": active}
            )
        token = ApiToken.objects.create(
            user=by,
            name=name[:100],
            prefix=text[len(PREFIX) : len(PREFIX) + 6],
            digest=digest_of(text),
            expires_at=expires_at,
        )
        record_event(
            "api_token.created",
            by=by,
            target=token,
            after={
                "name": token.name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, text


def revoke_api_token(token, *, by):
    """Revoke `token` (its own user only). Idempotent: revoking a revoked token changes
    nothing. Side effects: audit event "api_token.revoked"."""
    if token.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            record_event("api_token.revoked", by=by, target=token, before={"prefix": token.prefix})
    token.refresh_from_db(fields=["revoked_at"])
    return token


def user_for_token(text):
    """(user, token) for a usable token's text, else None. Records its last use at most
    once a minute (a program calling many times a second writes no row per call)."""
    if not text.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__institution")
        .filter(digest=digest_of(text))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
