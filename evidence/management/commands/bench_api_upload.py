"""Benchmark of a large data dukung upload through the API: the serving process's memory
while a 200 MB file streams in, and the stored file's hash against the sent one's.

    .venv/bin/python manage.py bench_api_upload [--mb 200] [--keep]

Never touches the configured database or media folder, and starts nothing but child
processes of its own: everything happens in a fresh temporary folder (its SQLite database,
media folder and upload temporary folder; deleted at the end, --keep leaves it).

1. --stage setup (a child process): migrate; a throwaway institution with one OPD, its
   operator (and an API token), a cycle whose OPD answers one indicator; a valid PDF of
   --mb MiB on disk (one page whose content stream is padded with comment lines), written
   in 1 MiB pieces.
2. --stage serve (a fresh child process): the WSGI application served by wsgiref on
   127.0.0.1 in a thread; a small request first (imports, URL resolver, the framework
   tree); then the peak RSS is reset (/proc/self/clear_refs) and the file is sent by
   http.client, as multipart, in 1 MiB pieces read from disk, to
   POST /api/v1/cycles/<c>/agencies/<a>/indicators/<n>/evidence/ (the answer does not
   exist yet: the file creates it). Printed: the peak RSS (VmHWM) growth of the process
   over its RSS before the upload (it serves the request and sends the file; the sender's
   own share is one 1 MiB piece), the time, and the SHA-256 of the sent bytes, of the
   API's answer and of the stored file, read back in pieces. Target: growth < 50 MB.

The size limit is raised for the run (EVIDENCE_MAX_MB of the child processes).
"""

import hashlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from monev.benchmarks import check_throwaway

CHILD_FLAG = "MONEV_BENCH_DIR"
MIB = 1024 * 1024
PIECE = MIB
TARGET_MB = 50


def pdf_file(path, size):
    """A valid one-page PDF of about `size` bytes at `path`, written piece by piece: its
    content stream is `size` bytes of comment lines (a viewer shows a blank page)."""
    padding = max(size - 600, 0)
    line = b"% " + b"monev bench padding " * 3 + b"\n"
    piece = (line * (PIECE // len(line) + 1))[:PIECE]
    offsets = []
    with open(path, "wb") as out:

        def obj(text):
            offsets.append(out.tell())
            out.write(text)

        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        obj(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        obj(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
        obj(
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Contents 4 0 R /Resources << >> >>\nendobj\n"
        )
        obj(b"4 0 obj\n<< /Length %d >>\nstream\n" % padding)
        left = padding
        while left:
            out.write(piece[: min(left, PIECE)])
            left -= min(left, PIECE)
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as opened:
        while piece := opened.read(PIECE):
            digest.update(piece)
    return digest.hexdigest()


def memory_kib(field):
    """VmRSS or VmHWM of this process, in KiB (/proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise CommandError(f"/proc/self/status has no {field}.")


def reset_peak():
    """Start the peak RSS (VmHWM) again from the current RSS (Linux ≥ 4.0); False where the
    kernel refuses, and the peak then also holds the process's start."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class Command(BaseCommand):
    help = "Measure the serving process's memory for a 200 MB upload through the API."

    def add_arguments(self, parser):
        parser.add_argument("--mb", type=int, default=200, help="the file's size in MiB")
        parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
        parser.add_argument("--stage", choices=["setup", "serve"], help="(internal)")

    def handle(self, *args, **options):
        if options["stage"]:
            check_throwaway(CHILD_FLAG, "bench_api_upload")
            folder = Path(os.environ[CHILD_FLAG])
            if options["stage"] == "setup":
                self._setup(folder, options["mb"])
            else:
                self._serve(folder)
            return
        folder = Path(tempfile.mkdtemp(prefix="monev-bench-upload-"))
        self.stdout.write(f"Throwaway folder: {folder}")
        try:
            self._manage(folder, options["mb"], "setup")
            self.stdout.write(self._manage(folder, options["mb"], "serve"), ending="")
        finally:
            if options["keep"]:
                self.stdout.write(f"Kept: {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
                self.stdout.write("Temporary database and files deleted.")

    def _manage(self, folder, mb, stage):
        env = {
            **os.environ,
            CHILD_FLAG: str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "FILE_UPLOAD_TEMP_DIR": str(folder),
            "EVIDENCE_MAX_MB": str(mb + 1),
            "STORAGE": "local",
            "TASKS_BACKEND": "immediate",
            "DEBUG": "true",
        }
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_api_upload",
            "--stage",
            stage,
            "--mb",
            str(mb),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode:
            self.stderr.write(done.stderr[-3000:])
            raise CommandError(f"--stage {stage} failed (exit {done.returncode}).")
        return done.stdout

    # --- The child processes ---------------------------------------------------------------

    def _setup(self, folder, mb):
        # Imported here: only the setup stage builds data.
        import datetime

        from django.utils import timezone

        from cycles.services import open_cycle
        from frameworks.models import Framework
        from frameworks.services import load_framework_files, shipped_framework_files
        from institutions.models import Agency, Institution, Role
        from institutions.services.tokens import create_api_token
        from monev.testing import make_user
        from sops.services import SHIPPED_SOPS, load_sop_file

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        load_framework_files(shipped_framework_files())
        framework = Framework.objects.default()
        institution = Institution.objects.create(
            slug="bench", name="Pemerintah Kota Bench", city="Bench"
        )
        load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
        agency = Agency.objects.create(institution=institution, name="Dinas Bench", short_name="DB")
        coordinator = make_user(institution, "koordinator", Role.COORDINATOR)
        operator = make_user(institution, "operator", Role.AGENCY, agency=agency)
        indicator = framework.nodes.filter(children__isnull=True).order_by("position").first()
        cycle = open_cycle(
            by=coordinator,
            year=timezone.localdate().year,
            framework=framework,
            agencies=[agency],
            deadline=timezone.localdate() + datetime.timedelta(days=14),
            contact_person=coordinator,
            assignments={indicator: [agency]},
        )
        _token, text = create_api_token(by=operator, name="bench")
        pdf_file(folder / "bench.pdf", mb * MIB)
        target = {"cycle": cycle.pk, "agency": agency.pk, "indicator": indicator.pk}
        (folder / "bench.json").write_text(json.dumps({**target, "token": text}))

    def _serve(self, folder):
        from django.core.wsgi import get_wsgi_application

        from evidence.models import EvidenceRevision

        bench = json.loads((folder / "bench.json").read_text())
        server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            port = server.server_address[1]
            headers = {"Authorization": f"Bearer {bench['token']}"}
            warm = self._request(port, "GET", "/api/v1/assignments/", headers)
            if warm[0] != 200:
                raise CommandError(f"GET /api/v1/assignments/ answered {warm[0]}: {warm[1]}")
            path = (
                f"/api/v1/cycles/{bench['cycle']}/agencies/{bench['agency']}"
                f"/indicators/{bench['indicator']}/evidence/"
            )
            source = folder / "bench.pdf"
            reset = reset_peak()
            before = memory_kib("VmRSS")
            started = time.perf_counter()
            status, body, sent_sha256 = self._upload(port, path, headers, source)
            seconds = time.perf_counter() - started
            peak = memory_kib("VmHWM")
        finally:
            server.shutdown()
            server.server_close()
        if status != 201:
            raise CommandError(f"The upload answered {status}: {body[:500]}")
        answered = json.loads(body)["revisions"][0]
        revision = EvidenceRevision.objects.get(pk=answered["id"])
        stored_sha256 = file_sha256(Path(settings.MEDIA_ROOT) / revision.file.name)
        size = source.stat().st_size
        growth = (peak - before) / 1024
        equal = sent_sha256 == answered["sha256"] == revision.sha256 == stored_sha256
        self.stdout.write(
            f"Uploaded {size / MIB:,.1f} MiB through POST {path} in {seconds:.1f} s "
            f"({size / MIB / seconds:,.0f} MiB/s), answer 201.\n"
            f"Serving process: RSS {before / 1024:,.1f} MiB before, peak {peak / 1024:,.1f} MiB "
            f"during the upload: growth {growth:,.1f} MiB (target < {TARGET_MB} MB: "
            f"{'met' if growth < TARGET_MB else 'NOT met'})"
            f"{'' if reset else '; the peak could not be reset and includes the start'}.\n"
            f"SHA-256 of the bytes sent:  {sent_sha256}\n"
            f"SHA-256 of the stored file: {stored_sha256}\n"
            f"Sent = answered = revision row = stored file: {'yes' if equal else 'NO'}.\n"
        )
        if not equal:
            raise CommandError("The stored file's hash differs from the sent file's.")

    def _request(self, port, method, path, headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def _upload(self, port, path, headers, source):
        """POST `source` as the multipart field "file", read and sent in 1 MiB pieces.
        Returns (status, body, the SHA-256 of the bytes sent)."""
        boundary = uuid.uuid4().hex
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="title"\r\n\r\n'
            "Berkas uji 200 MB\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{source.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        digest = hashlib.sha256()
        try:
            connection.putrequest("POST", path)
            for name, value in {
                **headers,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + source.stat().st_size + len(tail)),
            }.items():
                connection.putheader(name, value)
            connection.endheaders()
            connection.send(head)
            with open(source, "rb") as opened:
                while piece := opened.read(PIECE):
                    digest.update(piece)
                    connection.send(piece)
            connection.send(tail)
            response = connection.getresponse()
            return response.status, response.read().decode(), digest.hexdigest()
        finally:
            connection.close()
