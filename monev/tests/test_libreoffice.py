"""Every Word and Excel file the app makes opens in LibreOffice: each is converted to PDF with
`soffice --headless --convert-to pdf` (Debian's libreoffice-writer-nogui and
libreoffice-calc-nogui) and the PDF read back with pypdf.

The Word files are every registered template kind (the letter, the Berita Acara, the
Pernyataan, the Dokumen Evaluasi, ...) rendered from its shipped template with the context a
template of the kind sees; the Excel files are the official form and the recap workbook of a
cycle whose every indicator has an agreed level and a long penjelasan. Skipped where soffice
is not installed.
"""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from assessments import services
from assessments.official_form import official_form_xlsx
from assessments.tests.conftest import LEVELS, cycle, indicators  # noqa: F401 (fixtures)
from documents import kinds
from documents.render import render_docx
from recap.xlsx import recap_workbook

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="soffice is not installed (apt-get install --no-install-recommends "
    "libreoffice-writer-nogui libreoffice-calc-nogui)",
)
# One conversion of every file takes about ten seconds; a hung soffice must not hang CI.
TIMEOUT = 180


def convert(files, folder):
    """{name: PdfReader} of `files` ({name: bytes}) converted by one soffice run in `folder`.
    soffice gets its own profile there, so parallel test workers never share one."""
    for name, content in files.items():
        (folder / name).write_bytes(content)
    run = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *[str(folder / name) for name in files],
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert run.returncode == 0, f"soffice exited {run.returncode}: {run.stdout}{run.stderr}"
    converted = {}
    for name in files:
        pdf = folder / "pdf" / (name.rsplit(".", 1)[0] + ".pdf")
        converted[name] = PdfReader(io.BytesIO(pdf.read_bytes())) if pdf.exists() else None
    return converted


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def test_every_word_template_kind_converts_to_pdf(db, tmp_path):
    files = {
        f"{kind.key}.docx": render_docx(kind.default_template, kind.sample_context())
        for kind in kinds.all_kinds()
    }

    converted = convert(files, tmp_path)

    assert {"letter.docx", "berita_acara.docx", "evaluation.docx"} <= set(files)
    assert [name for name, reader in converted.items() if reader is None] == []
    assert [name for name, reader in converted.items() if len(reader.pages) == 0] == []


def test_the_official_form_and_the_recap_convert_to_pdf(cycle, indicators, evaluator, tmp_path):  # noqa: F811
    long_text = "Peraturan Wali Kota tentang SPBE telah ditetapkan dan dilaksanakan. " * 8
    for indicator, level in zip(indicators, LEVELS, strict=True):
        services.set_decision(
            cycle, indicator, by=evaluator, level=level, fakta=long_text, analisis="Terpenuhi."
        )
    files = {"formulir.xlsx": official_form_xlsx(cycle), "rekap.xlsx": recap_workbook(cycle)}

    converted = convert(files, tmp_path)

    form, recap = converted["formulir.xlsx"], converted["rekap.xlsx"]
    assert form is not None and recap is not None
    assert len(form.pages) > 1 and len(recap.pages) > 1
    text = text_of(form)
    # The labels print whole, and the page header names the institution and the year.
    assert "Kerangka evaluasi" in text and "Predikat" in text
    assert text.count("Formulir Evaluasi Mandiri SPBE 2026") >= len(form.pages)
    assert text_of(recap).count("Pemerintah Kota Pontianak") >= len(recap.pages)
