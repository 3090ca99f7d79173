import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from letters.models import Letter
from notifications import noop
from notifications.messages import choice, day, phrase, render
from notifications.models import Notification
from notifications.services import notify

WAITING = "%(kind)s “%(subject)s” menunggu disposisi Anda."


def test_render_in_indonesian_and_english_of_an_existing_translation():
    params = {"kind": "Surat", "subject": "Undangan Monev"}
    with translation.override("id"):
        assert render(WAITING, params) == "Surat “Undangan Monev” menunggu disposisi Anda."
    with translation.override("en"):
        assert render(WAITING, params) == "Surat “Undangan Monev” is awaiting your disposition."


def test_a_choice_parameter_is_translated_when_shown():
    letter = Letter(kind=Letter.Kind.INVITATION)
    params = {"kind": choice(letter, "kind"), "subject": "Undangan Monev"}
    assert params["kind"] == {"choice": "letters.Letter.kind", "value": "undangan"}
    with translation.override("id"):
        assert render(WAITING, params) == (
            "Surat Undangan “Undangan Monev” menunggu disposisi Anda."
        )
    with translation.override("en"):
        assert render(WAITING, params) == (
            "Invitation Letter “Undangan Monev” is awaiting your disposition."
        )


def test_a_phrase_and_a_date_are_translated_when_shown():
    template = "%(title)s menunggu tanda tangan: nomor %(number)s, %(cycle)s."
    params = {
        "title": phrase("Berita Acara"),
        "number": "005/1/DISKOMINFO/2026",
        "cycle": "Monev SPBE 2026",
    }
    with translation.override("en"):
        assert render(template, params) == gettext(template) % {**params, "title": "Berita Acara"}
    when = {"when": day(datetime.date(2026, 12, 7), weekday=True)}
    with translation.override("id"):
        assert render("%(when)s", when) == "Senin, 7 Desember 2026"
    with translation.override("en"):
        assert render("%(when)s", when) == "Monday, 7 December 2026"


def test_a_plural_phrase_takes_the_form_of_its_count():
    text = "%(cycle)s, %(agency)s: %(n)s hari lagi (%(date)s)."
    values = {
        "cycle": "Monev SPBE 2026",
        "agency": "BKPSDM",
        "date": day(datetime.date(2026, 12, 15)),
    }
    one = {"when": noop.ngettext(text, text, 1, {**values, "n": 1})}
    three = {"when": noop.ngettext(text, text, 3, {**values, "n": 3})}
    with translation.override("id"):
        assert (
            render("%(when)s", three) == "Monev SPBE 2026, BKPSDM: 3 hari lagi (15 Desember 2026)."
        )
    with translation.override("en"):
        assert render("%(when)s", one) == "Monev SPBE 2026, BKPSDM: 1 day left (15 December 2026)."
        assert render("%(when)s", three) == (
            "Monev SPBE 2026, BKPSDM: 3 days left (15 December 2026)."
        )


def test_user_text_stays_as_typed_in_every_language():
    template = "Isian indikator %(indicator)s dikembalikan oleh %(by)s: %(note)s"
    params = {"indicator": "1. Kebijakan", "by": "Rina", "note": "Lampirkan Perwa (hal. 3)."}
    with translation.override("en"):
        assert render(template, params) == gettext(template) % params
        assert render(template, params).endswith(": Lampirkan Perwa (hal. 3).")


def test_a_broken_translation_falls_back_to_the_indonesian(monkeypatch):
    monkeypatch.setattr("notifications.messages.gettext", lambda msgid: "Broken %(nope)s")
    assert render("Halo %(name)s.", {"name": "Rina"}) == "Halo Rina."


def test_a_new_notification_stores_the_msgid_and_renders_in_the_readers_language(coordinator):
    letter = Letter(kind=Letter.Kind.DATA_REQUEST)
    with translation.override("en"):  # the actor's language does not matter
        (notification,) = notify(
            [coordinator],
            key="letter:1:submitted:1",
            template=WAITING,
            params={"kind": choice(letter, "kind"), "subject": "Permohonan Data"},
        )
    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.template, stored.message) == (WAITING, "")
    with translation.override("id"):
        assert stored.text == "Surat Permohonan Data “Permohonan Data” menunggu disposisi Anda."
    with translation.override("en"):
        assert stored.text == "Data Request Letter “Permohonan Data” is awaiting your disposition."


def test_a_row_from_before_templates_shows_its_stored_message(coordinator):
    legacy = Notification.objects.create(
        user=coordinator, key="legacy:1", message="BKPSDM mengajukan isian indikator 1."
    )
    with translation.override("en"):
        assert legacy.text == "BKPSDM mengajukan isian indikator 1."
        assert str(legacy) == "BKPSDM mengajukan isian indikator 1."


def test_a_lazy_string_is_refused_as_template(coordinator):
    with pytest.raises(TypeError):
        notify([coordinator], key="x", template=gettext_lazy("Berita Acara"))
    assert Notification.objects.count() == 0
