"""Empty installations to restore into, driven as child processes, and what they hold.

A target is a database (a fresh SQLite file, or a scratch PostgreSQL database created and
dropped on a server) and a media folder; `manage.py` runs against it with DATABASE_URL and
MEDIA_ROOT in its environment, so the test database is never touched.
"""

import hashlib
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from dj_database_url import parse
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

ALIAS = "backup_target"


@dataclass
class Target:
    url: str
    media: Path

    def manage(self, *args):
        """Run manage.py against this target; returns the finished process."""
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "STORAGE": "local",
            "TASKS_BACKEND": "immediate",
            "DEBUG": "true",
        }
        # The system checks are not what these tests are about; skipping saves a second.
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        command = [*manage, *map(str, args), "--skip-checks"]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def sqlite_target(folder, name):
    return Target(url=f"sqlite:///{folder / name}.sqlite3", media=folder / f"{name}-media")


@contextmanager
def postgres_target(server, folder, name):
    """A scratch database on the PostgreSQL server `server` (connection keywords),
    dropped at the end."""

    database = f"monev_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    user, password = server.get("user", ""), server.get("password", "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    url = f"postgres://{credentials}{server['host']}:{server['port']}/{database}"
    try:
        yield Target(url=url, media=folder / f"{name}-media")
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def connected(target):
    """A connection to the target's database for reading it back. It is not registered
    in django.db.connections: Django's test cases allow such connections."""
    settings_dict = connections.configure_settings({"default": {}, ALIAS: parse(target.url)})
    wrapper = load_backend(settings_dict[ALIAS]["ENGINE"]).DatabaseWrapper(
        settings_dict[ALIAS], ALIAS
    )
    try:
        yield wrapper
    finally:
        wrapper.close()


def table_rows(connection):
    """Every row of every table of the code's models, all columns, ordered by key, as the
    ORM reads them (so the same values on every engine)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names = [field.attname for field in model._meta.local_concrete_fields]
            query = model._base_manager.order_by("pk").values_list(*names).query
            compiler = query.get_compiler(connection=connection)
            rows[model._meta.label_lower] = list(compiler.results_iter(tuple_expected=True))
    return rows


def target_rows(target):
    with connected(target) as connection:
        return table_rows(connection)


def target_tables(target):
    """The tables of the target's database (none when nothing was ever written)."""
    with connected(target) as connection:
        return connection.introspection.table_names()


def file_hashes(media):
    """{storage name: SHA-256} of every file under a media folder."""
    media = Path(media)
    if not media.exists():
        return {}
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
