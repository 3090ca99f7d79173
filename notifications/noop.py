"""A plural phrase marked for makemessages but translated only when shown: xgettext knows the
plural pair by the function's name, so `noop.ngettext(singular, plural, n, params)` lands in
the catalogue as a plural entry (gettext_noop has no plural form)."""

from notifications.messages import phrase


def ngettext(singular, plural, n, params=None):
    return phrase(singular, params, plural=plural, n=n)
