import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify


def make(user, count, *, start=None, url="/kotak-masuk/"):
    """`count` notifications for `user`, one an hour back from `start` (newest first)."""
    start = start or timezone.now()
    for number in range(count):
        (notification,) = notify(
            [user], key=f"test:{number}", template="Pemberitahuan %(n)s.", params={"n": number}
        )
        Notification.objects.filter(pk=notification.pk).update(
            created_at=start - datetime.timedelta(hours=number), url=url
        )
    return list(Notification.objects.filter(user=user))


def test_opening_marks_read_and_goes_to_the_notifications_page(client, coordinator):
    (notification,) = make(coordinator, 1, url="/surat/5/")
    client.force_login(coordinator)
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert (response.status_code, response["Location"]) == (302, "/surat/5/")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("persona", ["supervisor", "outsider"])
def test_another_persons_notification_is_not_found_and_stays_unread(
    client, request, coordinator, persona
):
    (notification,) = make(coordinator, 1)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_needs_a_login(client, coordinator):
    (notification,) = make(coordinator, 1)
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/surat/", "javascript:alert(1)", "surat/5/"]
)
def test_an_address_outside_the_site_is_refused(client, coordinator, url):
    (notification,) = make(coordinator, 1, url=url)
    client.force_login(coordinator)
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("notification_list")


def test_the_history_is_paged_25_a_page_and_grouped_by_day(client, coordinator, supervisor):
    # 60 notifications an hour apart from 23.00 today (institution time): 24 a day.
    zone = timezone.get_default_timezone()
    today = timezone.localdate(timezone=zone)
    start = datetime.datetime.combine(today, datetime.time(23, 0), zone)
    make(coordinator, 60, start=start)
    make(supervisor, 3)
    client.force_login(coordinator)

    first = client.get(reverse("notification_list"))
    days = [(day, [n.text for n in rows]) for day, rows in first.context["days"]]
    yesterday = today - datetime.timedelta(days=1)
    assert [day for day, _texts in days] == [today, yesterday]
    assert days[0][1] == [f"Pemberitahuan {n}." for n in range(24)]
    assert days[1][1] == ["Pemberitahuan 24."]
    assert (first.context["page"].paginator.num_pages, first.context["unread"]) == (3, 60)

    last = client.get(reverse("notification_list"), {"halaman": 3})
    rows = [n.text for _day, group in last.context["days"] for n in group]
    assert rows == [f"Pemberitahuan {n}." for n in range(50, 60)]
    html = last.content.decode()
    assert "Halaman 3 dari 3" in html
    assert reverse("notification_open", args=[last.context["days"][0][1][0].pk]) in html


def test_the_history_costs_the_same_queries_for_5_or_25_rows(client, coordinator):
    client.force_login(coordinator)
    make(coordinator, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notification_list")).status_code == 200
    Notification.objects.all().delete()
    make(coordinator, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("notification_list")).status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 10, [q["sql"][:90] for q in many.captured_queries]


def test_mark_all_read_from_the_history(client, coordinator, supervisor):
    make(coordinator, 3)
    make(supervisor, 2)
    client.force_login(coordinator)
    response = client.post(reverse("notifications_read"))
    assert response["Location"] == reverse("notification_list")
    unread = Notification.objects.filter(read_at=None)
    assert list(unread.values_list("user__username", flat=True)) == ["kabid", "kabid"]


def test_the_inbox_shows_the_latest_five_unread_and_links_to_the_history(client, coordinator):
    notifications = make(coordinator, 8)
    Notification.objects.filter(pk=notifications[1].pk).update(read_at=timezone.now())
    client.force_login(coordinator)
    html = client.get(reverse("inbox")).content.decode()
    shown = [n for n in range(8) if f"Pemberitahuan {n}." in html]
    assert shown == [0, 2, 3, 4, 5]
    assert "Semua pemberitahuan (7 belum dibaca)" in html
    assert f'href="{reverse("notification_list")}"' in html


def test_the_inbox_says_when_everything_is_read(client, coordinator):
    make(coordinator, 2)
    Notification.objects.update(read_at=timezone.now())
    client.force_login(coordinator)
    html = client.get(reverse("inbox")).content.decode()
    assert "Tidak ada pemberitahuan yang belum dibaca." in html
    assert "Pemberitahuan 0." not in html
