"""The staff's hot pages run the same number of queries whatever the number of OPDs, answers,
decisions and other institutions' cycles (see cycles/tests/scale.py): each page at two sizes,
counted after a first request that warms what a process keeps (the framework tree)."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from cycles import services
from cycles.tests.scale import crowd, decide, grow
from submissions.models import Submission

SIZES = [1, 30]


@pytest.fixture
def finished(cycle, coordinator, agency):
    """Last year's cycle with a final result, for the leaders' overview."""
    previous = services.open_cycle(
        by=coordinator,
        year=cycle.year - 1,
        framework=cycle.framework,
        agencies=[agency],
        deadline=cycle.deadline.replace(year=cycle.year - 1),
        contact_person=coordinator,
    )
    decide(previous, coordinator)
    Assessment.objects.filter(cycle=previous).update(status=Assessment.Status.FINAL)
    return previous


def count(client, user, url, django_assert_num_queries, expected):
    client.force_login(user)
    client.get(url)  # the session and what the process keeps
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def first_indicator(cycle):
    """The first indicator that has answers: the meeting screen then reads their reviews and
    evidence too. (Which indicators scale.crowd answers depends on the OPDs' ids, so the
    first of the framework may have none on one database and some on another.)"""
    answered = Submission.objects.filter(cycle=cycle).order_by("indicator__position")
    return answered.values_list("indicator", flat=True).first()


# {page: (its URL for a cycle, queries)}, all seen by the coordinator. Every count holds the
# session, the person, their roles and the menu badge's waiting work (cycles.waiting).
PAGES = {
    # The evaluator team's decree section reads the decree with its member count (one query).
    "cycle page": (lambda cycle: reverse("cycle_detail", args=[cycle.pk]), 11),
    # The page lists the work before the menu badge counts it (one list serves both).
    "inbox": (lambda cycle: reverse("inbox"), 8),
    "home": (lambda cycle: reverse("home"), 7),
    "meeting page": (lambda cycle: reverse("meeting_detail", args=[cycle.pk]), 11),
    "decision page": (
        lambda cycle: reverse("decision_edit", args=[cycle.pk, first_indicator(cycle)]),
        8,
    ),
    "meeting mode screen": (
        lambda cycle: reverse("meeting_indicator", args=[cycle.pk, first_indicator(cycle)]),
        12,
    ),
}


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow(
    client, cycle, coordinator, django_assert_num_queries, page, n
):
    grow(cycle, coordinator, n)
    url, expected = PAGES[page]
    count(client, coordinator, url(cycle), django_assert_num_queries, expected)


@pytest.mark.parametrize("n", SIZES)
def test_leader_home(client, cycle, finished, leader, coordinator, django_assert_num_queries, n):
    grow(cycle, coordinator, n)
    crowd(finished, coordinator, n, prefix="LL")
    response = count(client, leader, reverse("home"), django_assert_num_queries, 14)
    assert response.context["finished"].cycle == finished
    assert response.context["progress"].agencies == 2 + n
