"""Error pages in Bahasa Indonesia that need no database: the real WSGI application with
DEBUG off and a database it cannot open, in a child process; the other pages in-process."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory

from monev.errors import server_error

ROOT = Path(__file__).resolve().parents[2]

# One request through the WSGI application, as a server would make it; prints the status
# line and the body.
REQUEST = """
import sys
import wsgiref.util

from monev.wsgi import application

environ = {}
wsgiref.util.setup_testing_defaults(environ)
environ.update(PATH_INFO=sys.argv[1], HTTP_COOKIE="sessionid=" + "a" * 32)
started = []
body = b"".join(application(environ, lambda status, headers, exc_info=None: started.append(status)))
print(started[0])
print(body.decode())
"""

DATABASE_DOWN = (
    "Layanan sedang tidak dapat mengakses basis data. Coba lagi beberapa menit lagi; jika "
    "berlanjut, hubungi admin Diskominfo."
)


def test_a_database_that_cannot_be_reached_gives_a_clear_500_page(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monev.settings",
        "DEBUG": "false",
        "SECRET_KEY": "kunci-rahasia-untuk-uji-halaman-kesalahan",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",
        # A folder that does not exist: SQLite cannot open the file, as a server that is down.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tidak-ada' / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "-c", REQUEST, "/"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    status, body = result.stdout.split("\n", 1)
    assert status == "500 Internal Server Error"
    assert DATABASE_DOWN in body
    assert "<title>Terjadi gangguan · Monev SPBE</title>" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "unable to open database file" not in body
    # The error itself is in the log, for the administrator.
    assert "unable to open database file" in result.stderr


def test_another_server_error_does_not_blame_the_database():
    request = RequestFactory().get("/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Permintaan Anda tidak dapat diselesaikan karena kesalahan pada sistem." in body
    assert DATABASE_DOWN not in body
    assert "bug" not in body


def test_a_missing_page_says_so_in_indonesian(client, db):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in body
    assert '<a href="/">Kembali ke beranda</a>' in body
