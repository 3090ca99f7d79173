"""The person's own API tokens (page "Token API", docs/api.md): listed, created (the text
shown once, in the answer to the POST that creates it: never in a URL, a message or a
log), revoked after a confirmation. The rules are the services' (institutions/services/
tokens.py), as for the API's /api/v1/tokens/."""

import datetime
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from institutions.permissions import get_api_token_or_404, tokens_of
from institutions.services.tokens import create_api_token, revoke_api_token
from monev.confirm import confirmation_page, needs_confirmation
from monev.widgets import DateInput

# The forms already used to create a token in this session: the same form sent again (a
# double click, the browser's "resend" on reload) creates no second token.
USED_FORMS = "monev_api_token_forms"


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        help_text=gettext_lazy("Misalnya nama sistem atau skrip yang memakainya."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Berlaku sampai (opsional)"),
        required=False,
        widget=DateInput,
        help_text=gettext_lazy("Kosongkan agar berlaku sampai dicabut."),
    )
    form_key = forms.CharField(widget=forms.HiddenInput)

    def expires_at(self):
        """The end of the chosen day in the current time zone, or None."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@login_required
@never_cache  # the page after a creation holds the token's text: not kept by the browser
def api_tokens(request):
    form = NewTokenForm(request.POST or None, initial={"form_key": secrets.token_urlsafe(16)})
    created = text = None
    if request.method == "POST" and form.is_valid():
        used = request.session.get(USED_FORMS, [])
        if form.cleaned_data["form_key"] in used:
            messages.info(request, _("Token itu sudah dibuat. Teksnya hanya ditampilkan sekali."))
            return redirect("account_api_tokens")
        try:
            created, text = create_api_token(
                by=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session[USED_FORMS] = [*used[-9:], form.cleaned_data["form_key"]]
            form = NewTokenForm(initial={"form_key": secrets.token_urlsafe(16)})
    context = {
        "form": form,
        "tokens": tokens_of(request.user),
        "created": created,
        "text": text,
        "now": timezone.now(),
    }
    return render(request, "institutions/tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_api_token_or_404(request.user, pk)
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Cabut token %(name)s?") % {"name": token.name},
            consequences=[
                _(
                    "Program yang memakai token %(name)s (%(prefix)s…) langsung berhenti "
                    "bekerja: setiap permintaannya ditolak (401) sejak saat ini."
                )
                % {"name": token.name, "prefix": token.prefix},
            ],
            undo=_("Token yang dicabut tidak dapat dipulihkan; buat token baru bila perlu."),
            button=_("Ya, cabut token"),
            back_url=reverse("account_api_tokens"),
        )
    revoke_api_token(token, by=request.user)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("account_api_tokens")


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error("expires_on" if field == "expires_at" else field, messages_)
    else:
        form.add_error(None, error.messages)
