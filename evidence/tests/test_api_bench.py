"""Keeps bench_api_upload from rotting: its padded PDF is a PDF, and the whole command
with a 5 MB file (the benchmark itself, 200 MB, runs with `make benchmark`)."""

import io
import re

from django.core.management import call_command
from pypdf import PdfReader

from evidence.management.commands.bench_api_upload import MIB, pdf_file
from evidence.uploads import PDF, detect_type


def test_the_padded_file_is_a_one_page_pdf_of_the_size_asked(tmp_path):
    path = tmp_path / "padded.pdf"
    pdf_file(path, 3 * MIB)
    assert abs(path.stat().st_size - 3 * MIB) < 1024
    with open(path, "rb") as opened:
        assert detect_type(opened) is PDF
        assert len(PdfReader(opened, strict=True).pages) == 1


def test_bench_uploads_5_mb_and_the_stored_hash_is_the_sent_one():
    out = io.StringIO()
    call_command("bench_api_upload", mb=5, stdout=out)
    text = out.getvalue()
    sent = re.search(r"SHA-256 of the bytes sent:  ([0-9a-f]{64})", text).group(1)
    stored = re.search(r"SHA-256 of the stored file: ([0-9a-f]{64})", text).group(1)
    assert sent == stored
    assert "Sent = answered = revision row = stored file: yes." in text
    assert re.search(r"Uploaded 5\.0 MiB through POST /api/v1/cycles/\d+/agencies/", text)
    growth = float(re.search(r"growth ([\d.]+) MiB", text).group(1))
    assert growth < 50
    assert text.endswith("Temporary database and files deleted.\n")
