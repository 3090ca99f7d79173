"""Institutions and accounts: registering an institution, creating and editing users, their
roles, activation, invitations and passwords, lockouts and the second factor. Each public
function is one transaction with an audit event."""

import datetime

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from audit.models import AuditEvent
from audit.services import record_event, target_of
from institutions.models import Institution, Membership, Role, User
from institutions.tokens import invitation_token

LOCKOUT_OWN_ADMIN = _lazy("Anda tidak dapat mencabut peran administrator Anda sendiri.")


def create_institution(*, by, slug, name, **fields):
    """Register an institution (instansi). Side effects: audit event "institution.created"."""
    with transaction.atomic():
        institution = Institution.objects.create(slug=slug, name=name, **fields)
        record_event(
            "institution.created",
            by=by,
            institution=institution,
            target=institution,
            after={"slug": slug, "name": name},
        )
    return institution


def _set_roles(user, roles, agency):
    user.memberships.all().delete()
    Membership.objects.bulk_create(
        Membership(user=user, role=role, agency=agency if role == Role.AGENCY else None)
        for role in dict.fromkeys(roles)
    )
    user.__dict__.pop("_monev_memberships", None)


# --- Accounts -------------------------------------------------------------------------------


def _account_facts(user):
    """What the audit trail keeps of an account (never a password or a secret)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "nip": user.nip,
        "position": user.position,
        "roles": sorted(
            f"{m.role}:{m.agency.short_name}" if m.agency_id else m.role
            for m in user.memberships.select_related("agency")
        ),
    }


def create_user(institution, *, by, username, full_name, roles, agency=None, **fields):
    """Create an account in `institution` with exactly `roles` (`agency` is the OPD of the
    operator role) and no usable password: the person sets it from an invitation link
    (send_invitation). `fields`: email, nip, position.

    Side effects: audit event "user.created".
    """
    taken = ValidationError({"username": _("Nama pengguna %(u)s sudah dipakai.") % {"u": username}})
    if User.objects.filter(username__iexact=username).exists():
        raise taken
    try:
        with transaction.atomic():
            user = User(username=username, institution=institution, full_name=full_name, **fields)
            user.set_unusable_password()
            user.save()
            _set_roles(user, roles, agency)
            record_event(
                "user.created",
                by=by,
                institution=institution,
                target=user,
                after=_account_facts(user),
            )
    except IntegrityError:  # the same form sent twice at once: the first one won
        raise taken from None
    return user


def update_user(user, *, by, full_name, roles, agency=None, **fields):
    """Change an account's name, `fields` (email, nip, position) and roles. An administrator
    cannot take away their own administrator role (they would lock themselves out).

    Side effects: audit event "user.updated" with the changed facts (none when nothing changed).
    """
    if user.pk == by.pk and Role.ADMIN not in roles:
        raise ValidationError({"roles": LOCKOUT_OWN_ADMIN})
    with transaction.atomic():
        # Compared with the account as it is now (locked), not as the request read it: the
        # same edit sent twice at once records once.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        user.refresh_from_db(fields=["full_name", *fields])
        before = _account_facts(user)
        user.full_name = full_name
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
        _set_roles(user, roles, agency)
        after = _account_facts(user)
        changed = [name for name in after if after[name] != before[name]]
        if changed:
            record_event(
                "user.updated",
                by=by,
                institution=user.institution,
                target=user,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
            )
    return user


def deactivate_user(user, *, by):
    """Stop an account from signing in; its name stays in the audit trail and on documents.
    Its open sessions end at once (Django refuses an inactive user's session). Administrators
    cannot deactivate themselves. Does nothing for an account already inactive.

    Side effects: audit event "user.deactivated".
    """
    if user.pk == by.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    _set_active(user, False, action="user.deactivated", by=by)


def reactivate_user(user, *, by):
    """Let a deactivated account sign in again. Side effects: audit event "user.reactivated"."""
    _set_active(user, True, action="user.reactivated", by=by)


def _set_active(user, active, *, action, by):
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(action, by=by, institution=user.institution, target=user)


def invitation_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation", args=[uid, invitation_token.make_token(user)])
    return f"{settings.SITE_URL}{path}"


# An invitation of the same person again within this time is the same one, not sent twice.
INVITATION_REPEAT = datetime.timedelta(minutes=1)


def send_invitation(user, *, by):
    """Invite a person to set their password with a one-time link (valid INVITATION_DAYS
    days; setting the password ends it). The link is e-mailed when the account has an address;
    otherwise it is returned for the administrator to pass on.

    Returns the link. Side effects: audit event "user.invited"; the e-mail after commit.
    Inviting again within INVITATION_REPEAT (a double click, a retry) only returns the link.
    """
    if not user.is_active:
        raise ValidationError(_("Akun nonaktif tidak dapat diundang. Aktifkan dulu."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # the same invitation twice waits
        just_sent = AuditEvent.objects.filter(
            action="user.invited",
            target=target_of(user),
            created_at__gte=timezone.now() - INVITATION_REPEAT,
        )
        if just_sent.exists():
            return invitation_link(user)
        record_event(
            "user.invited",
            by=by,
            institution=user.institution,
            target=user,
            after={"emailed": bool(user.email)},
        )
        if user.email:
            user_id = user.pk
            transaction.on_commit(lambda: send_invitation_email.enqueue(user_id))
    return invitation_link(user)


@task()
def send_invitation_email(user_id):
    """Background task: e-mail the invitation link (made here, so no token waits in a queue)."""
    user = User.objects.select_related("institution").get(pk=user_id)
    context = {
        "user": user,
        "link": invitation_link(user),
        "days": settings.INVITATION_DAYS,
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject=render_to_string("institutions/email/invitation_subject.txt", context).strip(),
        message=render_to_string("institutions/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def set_password(user, *, by, password, how):
    """Set an account's password (already validated by the form). `how`: "invitation",
    "reset" or "change". Links made for the old password stop working.

    Side effects: audit event "user.password_set" (without the password).
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(
            "user.password_set",
            by=by,
            institution=user.institution,
            target=user,
            after={"how": how},
        )
    return user


def unlock_user(user, *, by):
    """Lift the sign-in lockout (too many wrong passwords) of an account from every address.

    Side effects: django-axes' records of the account's failures are removed; audit event
    "user.unlocked" when there were any (a repeated click records nothing).
    """
    with transaction.atomic():
        if axes_reset(username=user.username):
            record_event("user.unlocked", by=by, institution=user.institution, target=user)


def enable_second_factor(user, *, by, key):
    """Give the account its authenticator app (TOTP with the hex `key` the person confirmed
    with a first code), replacing any earlier one.

    Side effects: audit event "user.second_factor_enabled"."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=_("Aplikasi autentikator"), key=key, confirmed=True
        )
        record_event("user.second_factor_enabled", by=by, institution=user.institution, target=user)
    return device


def reset_second_factor(user, *, by):
    """Remove the account's authenticator app (lost phone): the person signs in with the
    password alone, or enrols again where their role requires it.

    Side effects: audit event "user.second_factor_reset" when there was one to remove (a
    repeated click records nothing)."""
    with transaction.atomic():
        removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
        if removed:
            record_event(
                "user.second_factor_reset", by=by, institution=user.institution, target=user
            )


def create_installation_admin(*, by, username, password, full_name=""):
    """Create a superuser of the installation (no institution): they register institutions
    in /admin/. Side effects: audit event "user.created" (no institution)."""
    with transaction.atomic():
        user = User.objects.create_superuser(username, password=password, full_name=full_name)
        record_event(
            "user.created", by=by, institution=None, target=user, after={"username": username}
        )
    return user
