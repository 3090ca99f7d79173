"""The coat of arms on the kop of the daftar hadir and the notulen, read back."""

# The app's own fixtures, imported: pytest finds them in this module; the tests take them as
# arguments, which ruff reads as redefinitions.
# ruff: noqa: F811

from documents.tests.logo_helpers import content_of, pdf_images, set_logo
from meetings import services
from meetings.tests.conftest import _media, collection_closed, cycle, meeting, staff  # noqa: F401


def test_attendance_pdf_kop_has_the_logo(meeting, coordinator, admin_user):
    set_logo(meeting.cycle.institution, admin_user)
    pdf = content_of(services.attendance_document(meeting, by=coordinator))
    images = pdf_images(pdf)
    assert images[0] == [(2.2, 2.6)]
    assert not any(images[1:])


def test_attendance_pdf_without_a_logo_has_no_picture(meeting, coordinator):
    pdf = content_of(services.attendance_document(meeting, by=coordinator))
    assert not any(pdf_images(pdf))


def test_minutes_pdf_kop_has_the_logo(meeting, coordinator, evaluator, admin_user):
    set_logo(meeting.cycle.institution, admin_user)
    services.save_minutes(meeting, by=evaluator, text="Rapat dibuka.", version=0)
    pdf = content_of(services.minutes_document(meeting, by=evaluator))
    assert pdf_images(pdf)[0] == [(2.2, 2.6)]
