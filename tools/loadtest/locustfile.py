"""The people of deadline day, as locust users. Driven by tools/loadtest/drive.py, which fills
`RUN` (who works on what, from the plan) before it starts them.

- `FloorUser`: anonymous, only GET /masuk/ (the framework's floor).
- `OperatorUser`: an OPD operator. Several users share one OPD account, as several people of
  one OPD do; users of one OPD split its open answers between them. Each works through its
  answers one at a time, as the indicator page is used: the portal, the indicator page
  (its version and CSRF token), autosaves of the growing text with the real form fields
  (level, FAKTA, ANALISIS, version) with a 1 MB PDF through the data dukung panel after
  one of them, then "Ajukan isian ini" (only when it has the answer to itself and more than
  one left, so nothing runs out during the run).
- `CoordinatorUser`: the recap and the cycle page, in turn.

No think time: each user sends its next request as soon as the last one is answered.
Every user logs in once (the password hash is deliberately expensive; an operator then opens
its first answer) and waits for `RUN.start`, so the measured window holds no logins.

Every confirmed write is logged, one JSON line each, to `RUN.confirmed` for the stored check
(tools/loadtest/check_stored.py): an autosave the server answered "Tersimpan" with its new
version and the values sent, a submit that led to the portal, an upload answered 200 with the
file's SHA-256.
"""

import hashlib
import io
import json
import os
import random
import re
import uuid

from gevent.event import Event
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

AUTOSAVES = 12  # per answer, with one upload after a random one of them
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
# The panel's upload form; `data-rows` on a saved answer's panel, whose script then asks for
# the stored file's row only (evidence/panel.js).
UPLOAD_ACTION = re.compile(r'<form class="evidence-upload" method="post" action="([^"]+)"[^>]*>')
LEVEL = re.compile(r'name="level" value="(\d+)"')
SAVED = re.compile(r'<input type="hidden" name="version" value="(\d+)" id="id_version"')


class Run:
    """What the driver sets before starting users, and what they report back."""

    def __init__(self):
        self.password = ""
        self.operators = []  # slots: {account, cycle, agency, indicators, exclusive}
        self.coordinators = []  # slots: {account, cycle}
        self.start = Event()
        self.stopping = False
        self.logged_in = 0
        self.login_failures = 0
        self.confirmed = None  # a text file open for appending

    def log(self, **record):
        self.confirmed.write(json.dumps(record) + "\n")
        self.confirmed.flush()


RUN = Run()


def pdf_bytes(size, text):
    """A valid one-page PDF of `size` bytes: the page says `text`, and an unreferenced stream
    object of random bytes fills it up (so every file is distinct), with a correct xref."""
    page = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    filler = max(0, size - 1000 - sum(len(o) for o in objects))
    objects.append(b"<< /Length %d >>\nstream\n" % filler + os.urandom(filler) + b"\nendstream")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def multipart(fields, files):
    """(body, content type) of a multipart/form-data post; files: {name: (filename, bytes)}."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Person(FastHttpUser):
    """A user who logs in on start and then waits for the measured window."""

    abstract = True
    wait_time = constant(0)
    network_timeout = 180.0
    connection_timeout = 180.0

    def log_in(self, username, attempts=3):
        """Log in (a failed attempt is tried again, up to `attempts`). A user who cannot
        log in stops at its first task."""
        self.logged_in = False
        for _ in range(attempts):
            page = self.client.get("/masuk/", name="login")
            token = CSRF.search(page.text or "")
            fields = {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": username,
                "password": RUN.password,
            }
            with self.client.post(
                "/masuk/", data=fields, allow_redirects=False, name="login", catch_response=True
            ) as response:
                if response.status_code == 302:
                    self.logged_in = True
                    break
                response.failure(f"login as {username}: HTTP {response.status_code}")

    def ready(self):
        """Count this user in, and wait for the measured window."""
        if self.logged_in:
            RUN.logged_in += 1
        else:
            RUN.login_failures += 1
        RUN.start.wait()

    def stop_when_asked(self):
        if RUN.stopping or not self.logged_in:
            raise StopUser()


class FloorUser(Person):
    logged_in = True  # anonymous

    @task
    def floor(self):
        self.stop_when_asked()
        self.client.get("/masuk/", name="floor /masuk/")


class CoordinatorUser(Person):
    def on_start(self):
        self.slot = RUN.coordinators.pop(0)
        self.log_in(self.slot["account"])
        self.ready()

    @task
    def watch(self):
        cycle = self.slot["cycle"]
        self.stop_when_asked()
        self.client.get(f"/rekap/{cycle}/", name="recap")
        self.stop_when_asked()
        self.client.get(f"/periode/{cycle}/", name="cycle page")


class Answer:
    """An OPD's answer as its open indicator page holds it, and the posts made from it."""

    def __init__(self, cycle, agency, indicator, html):
        self.cycle, self.agency, self.indicator = cycle, agency, indicator
        self.path = f"/isian/{cycle}/opd/{agency}/indikator/{indicator}/"
        self.csrf = CSRF.search(html).group(1)
        self.version = int(VERSION.search(html).group(1))
        levels = LEVEL.findall(html)
        self.level = levels[len(levels) // 2] if levels else ""
        upload = UPLOAD_ACTION.search(html)
        self.upload_url = upload.group(1) if upload else None
        self.upload_rows = bool(upload) and " data-rows" in upload.group(0)
        self.fakta = "Peraturan Wali Kota Nomor 12 Tahun 2026 tentang SPBE, Pasal 2-5."
        self.analisis = "Kriteria tingkat terpenuhi:"

    def values(self):
        return {"level": self.level, "fakta": self.fakta, "analisis": self.analisis}

    def type_more(self):
        """What the person typed since the last autosave; returns the form to post."""
        self.fakta += f" Halaman {len(self.fakta) % 97}."
        self.analisis += " bukti dukung lengkap dan sah."
        return self.form()

    def form(self):
        return {"csrfmiddlewaretoken": self.csrf, "version": self.version, **self.values()}

    def saved(self, response_text):
        """Whether an autosave's answer confirms it (then the new version is taken)."""
        found = SAVED.search(response_text or "")
        if found:
            self.version = int(found.group(1))
            self.record("save", version=self.version, **self.values())
        return bool(found)

    def upload_post(self):
        """(body, headers, the file's SHA-256) of a 1 MB PDF sent as the panel's script sends
        it: from a saved answer's panel it asks for the stored file's row only."""
        content = pdf_bytes(1024 * 1024, f"Data dukung {uuid.uuid4().hex}")
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.csrf, "next": ""},
            {"file": (f"perwa-{self.indicator}.pdf", content)},
        )
        headers = {"Content-Type": content_type, "HX-Request": "true"}
        if self.upload_rows:
            headers["X-Evidence-Rows"] = "1"
        return body, headers, hashlib.sha256(content).hexdigest()

    def record(self, kind, **facts):
        """Log a confirmed write for the stored check."""
        RUN.log(kind=kind, cycle=self.cycle, agency=self.agency, indicator=self.indicator, **facts)


class OperatorUser(Person):
    def on_start(self):
        self.slot = RUN.operators.pop(0)
        self.rng = random.Random(len(RUN.operators))
        self.indicators = list(self.slot["indicators"])
        self.base = f"/isian/{self.slot['cycle']}/opd/{self.slot['agency']}/"
        self.log_in(self.slot["account"])
        # Users start together: each has its first answer open already (read during the
        # ramp-up) and has typed a random part of it, so that the kinds of request do not
        # come in waves.
        self.answer = self.open(self.indicators[0]) if self.logged_in else None
        self.skip = self.rng.randrange(AUTOSAVES)
        self.ready()

    @task
    def work_on_an_answer(self):
        self.stop_when_asked()
        answer, self.answer = self.answer, None
        if answer is None:
            self.client.get(self.base, name="portal")
            answer = self.open(self.indicators[0])
            if answer is None:
                return
        upload_after = self.rng.randrange(AUTOSAVES)
        for step in range(self.skip, AUTOSAVES):
            if not self.autosave(answer):
                return
            if step == upload_after:
                self.upload(answer)
        self.skip = 0
        if self.slot["exclusive"] and len(self.indicators) > 1:
            self.submit(answer)

    def open(self, indicator):
        self.stop_when_asked()
        page = self.client.get(f"{self.base}indikator/{indicator}/", name="indicator page")
        try:
            return Answer(self.slot["cycle"], self.slot["agency"], indicator, page.text)
        except (AttributeError, TypeError):  # no form: someone handed it in meanwhile
            self.drop(indicator)
            return None

    def drop(self, indicator):
        if indicator in self.indicators and len(self.indicators) > 1:
            self.indicators.remove(indicator)

    def autosave(self, answer):
        """One autosave of the text typed since the last. Returns False when the answer
        must be opened again (a conflict with another person of the OPD, or it was handed
        in)."""
        self.stop_when_asked()
        sent = answer.type_more()
        headers = {"HX-Request": "true", "HX-Target": "autosave-status"}
        with self.client.post(
            f"{answer.path}simpan/",
            data=sent,
            headers=headers,
            name="autosave",
            catch_response=True,
        ) as response:
            text = response.text or ""
            if response.status_code == 200 and answer.saved(text):
                return True
            if response.status_code == 200 and 'id="konflik"' in text:
                # A clean refusal: another person of the OPD saved first.
                response.request_meta["name"] = "autosave (conflict)"
                return False
            if response.status_code == 200 and "diajukan" in text:
                response.request_meta["name"] = "autosave (handed in)"
                self.drop(answer.indicator)
                return False
            response.failure(f"autosave: HTTP {response.status_code} {text[:200]!r}")
            return False

    def upload(self, answer):
        if not answer.upload_url:
            return
        self.stop_when_asked()
        body, headers, sha256 = answer.upload_post()
        with self.client.post(
            answer.upload_url, data=body, headers=headers, name="upload 1 MB", catch_response=True
        ) as response:
            if response.status_code != 200 or "message-success" not in (response.text or ""):
                response.failure(f"upload: HTTP {response.status_code}")
                return
        answer.record("upload", sha256=sha256)

    def submit(self, answer):
        self.stop_when_asked()
        with self.client.post(
            f"{answer.path}ajukan/",
            data=answer.form(),
            allow_redirects=False,
            name="submit",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != self.base:
                response.failure(f"submit: HTTP {response.status_code}")
                return
        answer.record("submit", **answer.values())
        self.indicators.remove(answer.indicator)
