"""One confirmation step for the irreversible actions (numbering, dispatching, finalizing):
a POST without `confirmed=yes` changes nothing and answers with a page that states the
consequence; its button posts the same fields again with `confirmed=yes`. It works without
JavaScript and cannot be skipped. A view asks its permission first, so a refused person
never sees the page. Files cannot be posted again: a form with an upload confirms on its
own page (a checkbox) instead."""

from django.shortcuts import render

CONFIRMED = "confirmed"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRMED}


def needs_confirmation(request):
    return request.POST.get(CONFIRMED) != "yes"


def confirmation_page(request, *, title, consequences, undo, button, back_url):
    """The page (200) that asks once more. `consequences`: sentences with the concrete
    figures; `undo`: what undoes the action, or that nothing does."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPOSTED
        for value in values
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "undo": undo,
        "button": button,
        "back_url": back_url,
        "fields": fields,
    }
    return render(request, "confirm.html", context)
