"""Reviewing an answer marks the coordinators' notification of it read; answering a return
marks the OPD's notification of the return read."""

from notifications.models import Notification
from submissions import services


def unread(user):
    return list(
        Notification.objects.filter(user=user, read_at=None).order_by("key").values_list("key")
    )


def test_a_review_settles_the_submission_for_every_coordinator(
    cycle, indicators, agency_user, coordinator, evaluator, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    assert unread(coordinator) == [(f"submission:{submission.pk}:submitted:v2",)]
    services.accept_submission(submission, by=evaluator)
    assert unread(coordinator) == []


def test_resubmitting_settles_the_return(
    cycle, indicators, agency_user, coordinator, evaluator, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    services.return_submission(submission, by=coordinator, note="Lampirkan Perwa.")
    (returned,) = unread(agency_user)
    assert returned[0].startswith(f"submission:{submission.pk}:returned:")
    assert unread(coordinator) == []
    answer(indicators[0], by=agency_user, fakta="Perwa 12/2024 Pasal 3 dan 4.")
    services.submit_submission(submission, by=agency_user)
    assert unread(agency_user) == []
    assert unread(coordinator) == [(f"submission:{submission.pk}:submitted:v4",)]


def test_a_package_is_settled_when_none_of_the_opds_answers_waits(
    cycle, indicators, agency_user, coordinator, evaluator, answer
):
    first = answer(indicators[0], by=agency_user)
    second = answer(indicators[1], by=agency_user)
    services.submit_agency_package(cycle, first.agency, by=agency_user)
    (package,) = unread(coordinator)
    assert package[0].startswith(f"submission-package:{cycle.pk}:{first.agency.pk}:")
    services.accept_submission(first, by=evaluator)
    assert unread(coordinator) == [package]
    services.return_submission(second, by=evaluator, note="Lampirkan Perwa.")
    assert unread(coordinator) == []
