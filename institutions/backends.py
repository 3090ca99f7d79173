import functools

from asgiref.sync import sync_to_async
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from institutions.models import Institution, User
from monev import plain


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check that refuses a locked-out account-and-address pair.

    Without a request there is no address to count against: Django's test client `login()`
    and code calling authenticate() by hand pass none. Then the check is skipped instead of
    failing (the login form always passes the request, so every real attempt is counted).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request):
    """The address a sign-in attempt is counted against (AXES_CLIENT_IP_CALLABLE).

    Behind PROXY_COUNT reverse proxies, each appends the address it saw to X-Forwarded-For;
    the entry PROXY_COUNT from the end was written by our own outermost proxy, so a client
    cannot forge it (entries further left are whatever the client sent).
    """
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class UserBackend(ModelBackend):
    """Django's username-and-password backend; the signed-in user of each request comes with
    their institution in the same query (every page shows times in its time zone and filters
    by it), and, as in Django, only while the account is active. The read runs on every
    signed-in request, so it is one plain statement (monev.plain: the ORM's query cost ~0.4
    ms to build for ~0.03 ms of reading)."""

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = plain.fetch(_user_sql(), [user_id])
        if not rows:
            return None
        user = plain.instance(User, rows[0])
        user.institution = plain.instance(Institution, rows[0], plain.width(User))
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


@functools.cache
def _user_sql():
    return (
        f"SELECT {plain.select_list(User, 'u')}, {plain.select_list(Institution, 'i')} "
        f"FROM {plain.table(User)} u LEFT JOIN {plain.table(Institution)} i "
        f"ON i.{plain.column(Institution, 'id')} = u.{plain.column(User, 'institution')} "
        f"WHERE u.{plain.column(User, 'id')} = %s"
    )


class SessionStore(db.SessionStore):
    """Django's database sessions (SESSION_ENGINE = "institutions.backends"), each request's
    read of its session written as one plain statement: building and compiling the ORM's
    query cost ten times running it (~0.6 ms against ~0.06 ms), on every page. Same rule as
    Django's: the row of the key, while it has not expired; none, and the key is dropped."""

    def load(self):
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
