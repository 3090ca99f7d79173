"""The words of the step-7 statements: one plain context per statement, printed by the PDF
template (HTML) and by the Word template alike (the placeholders are listed in kinds.py).

The printed words are Indonesian whatever the UI language: a Berita Acara is an Indonesian
official document, so they are written here as they are printed, not translated.
"""

import datetime

from documents.formal import date_in_words, region_name, tanggal
from documents.letters import BLANK, institution_fields, kop_context
from frameworks.scoring import display, to_decimal
from institutions.models import Institution
from reports.models import SignedReport

SPBE = "Sistem Pemerintahan Berbasis Elektronik (SPBE)"
KEMENPANRB = "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
REGIONAL = (Institution.Kind.CITY, Institution.Kind.REGENCY, Institution.Kind.PROVINCE)


def leader_title(institution):
    """The usual title of the signer: the regional secretary as the SPBE coordinator."""
    if institution.kind in REGIONAL:
        return f"Sekretaris Daerah {region_name(institution)} selaku Koordinator SPBE"
    return f"Koordinator SPBE {institution.name}"


def institution_data(institution):
    return {**institution_fields(institution), "region": region_name(institution)}


def document_context(report, content):
    """The context both templates print, from the statement and what it states
    (queries.content_of). Plain data only: a Word template sees nothing else."""
    cycle = report.cycle
    return build_context(
        kind=report.kind,
        institution=institution_data(cycle.institution),
        year=cycle.year,
        number=report.number,
        date=report.report_date,
        place=report.place,
        signer={"name": report.signer_name, "title": report.signer_title, "nip": report.signer_nip},
        maker={"name": report.maker_name, "title": report.maker_title, "nip": report.maker_nip},
        content=content,
        draft=report.status == SignedReport.Status.DRAFT,
    )


def build_context(*, kind, institution, year, number, date, place, signer, maker, content, draft):
    city = institution.get("city") or place
    date_text = tanggal(date) if date else f"{BLANK} {year}"
    is_ba = kind == SignedReport.Kind.BERITA_ACARA
    meeting = content.get("meeting") or {}
    meeting_date = datetime.date.fromisoformat(meeting["date"]) if meeting.get("date") else None
    context = {
        "kind": str(kind),
        **kop_context(institution),
        "year": year,
        "number": number,
        "number_text": number or (f"{BLANK} (draf)" if draft else BLANK),
        "date": date,
        "date_text": date_text,
        "date_words": date_in_words(date) if date else f"{BLANK} tanggal {BLANK}",
        "place": place,
        "place_date": f"{city}, {date_text}" if city else date_text,
        "meeting_date_text": tanggal(meeting_date),
        "framework": content.get("framework", ""),
        "decree": content.get("decree", ""),
        # Content holds indices as machine strings ("2.96"); printed as the document's
        # language writes them ("2,96").
        "index": display(to_decimal(content.get("display"))),
        "rating": content.get("rating") or "–",
        "nodes": [
            {
                **node,
                "display": display(to_decimal(node.get("display"))),
                "indent": bool(node.get("depth")),
            }
            for node in content.get("nodes") or []
        ],
        "participants": [
            {"number": position, **person}
            for position, person in enumerate(content.get("participants") or [], start=1)
        ],
        "signer": _person(signer),
        "maker": _person(maker),
        "draft": draft,
    }
    texts = berita_acara_texts(context) if is_ba else publication_consent_texts(context)
    return {**context, **texts}


def _person(person):
    return {
        "name": person.get("name", ""),
        # The templates add the comma that ends the title line.
        "title": (person.get("title") or "").strip().rstrip(","),
        "nip": person.get("nip", ""),
    }


def berita_acara_texts(c):
    name, year = c["institution"]["name"], c["year"]
    meeting = c["meeting_date_text"]
    held_on = f" pada tanggal {meeting}" if meeting and meeting != c["date_text"] else ""
    return {
        "title": "BERITA ACARA",
        "subtitle": (
            f"PENYELENGGARAAN EVALUASI MANDIRI SPBE {c['institution']['region'].upper()} "
            f"TAHUN {year}"
        ),
        "opening": (
            f"Pada hari ini, {c['date_words']}, bertempat di {c['place']}, telah dilaksanakan "
            f"Rapat Koordinasi Evaluasi Mandiri {SPBE} {name} Tahun {year}{held_on}, yang "
            "dihadiri oleh peserta sebagaimana tercantum dalam daftar berikut:"
        ),
        "result_intro": (
            (f"Berdasarkan {c['decree']}, rapat" if c["decree"] else "Rapat")
            + " koordinasi telah membahas isian dan data dukung Perangkat Daerah peserta "
            f"dan menyepakati tingkat kematangan setiap indikator berdasarkan {c['framework']}, "
            f"dengan hasil evaluasi mandiri SPBE {name} Tahun {year} sebagai berikut:"
        ),
        "statements": [
            (
                "Hasil evaluasi mandiri tersebut merupakan kesepakatan peserta rapat koordinasi, "
                "didukung oleh data dukung yang dapat dipertanggungjawabkan, dan selanjutnya "
                f"disampaikan melalui aplikasi Evaluasi SPBE {KEMENPANRB} sebagai bahan "
                "evaluasi eksternal."
            ),
            "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan "
            "sebagaimana mestinya.",
        ],
    }


def publication_consent_texts(c):
    name, year = c["institution"]["name"], c["year"]
    return {
        "title": "SURAT PERNYATAAN",
        "subtitle": f"PERSETUJUAN PUBLIKASI HASIL EVALUASI MANDIRI SPBE TAHUN {year}",
        "opening": "Yang bertanda tangan di bawah ini:",
        "result_intro": (
            f"dengan ini menyatakan bahwa {name} menyetujui hasil evaluasi mandiri {SPBE} "
            f"Tahun {year}, dengan Indeks SPBE {c['index']} dan predikat {c['rating']}, "
            f"beserta hasil evaluasi SPBE yang ditetapkan oleh {KEMENPANRB}, untuk "
            "dipublikasikan kepada masyarakat, termasuk melalui laman resmi Kementerian dan "
            f"kanal informasi {name}."
        ),
        "statements": [
            "Demikian pernyataan ini dibuat dengan sebenar-benarnya untuk dipergunakan "
            "sebagaimana mestinya.",
        ],
    }


# --- Sample data (the test of an uploaded Word template, and its preview) -----------------


def _node(kind, number, name, shown, depth):
    return {"kind": kind, "number": number, "name": name, "display": shown, "depth": depth}


def sample_content():
    return {
        "framework": "Evaluasi SPBE (PermenPANRB 59/2020)",
        "decree": "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim "
        "Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis "
        "Elektronik",
        "index": "3.4986",
        "display": "3.50",
        "rating": "Baik",
        "nodes": [
            _node("Domain", "1", "Kebijakan Internal SPBE", "3.40", 0),
            _node("Aspek", "1", "Kebijakan Internal Tata Kelola SPBE", "3.40", 1),
            _node("Domain", "2", "Tata Kelola SPBE", "3.20", 0),
        ],
        "meeting": {"date": "2026-11-20", "place": "Ruang Rapat Wali Kota Pontianak"},
        "participants": [
            {
                "name": "Dr. Rina Kartika, S.Kom., M.T.",
                "position": "Kepala Dinas",
                "unit": "Dinas Komunikasi dan Informatika",
            },
            {"name": "dr. Andi Saputra", "position": "Sekretaris", "unit": "Dinas Kesehatan"},
        ],
    }


def sample_context(kind):
    """A complete context of `kind` (a SignedReport.Kind) with sample data."""
    return build_context(
        kind=kind,
        institution={
            "name": "Pemerintah Kota Pontianak",
            "region": "Kota Pontianak",
            "city": "Pontianak",
            "letterhead_lines": ["PEMERINTAH KOTA PONTIANAK"],
            "address": "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
            "phone": "(0561) 733041",
            "email": "",
            "website": "pontianak.go.id",
        },
        year=2026,
        number="005/31/DISKOMINFO/2026",
        date=datetime.date(2026, 11, 22),
        place="Ruang Rapat Wali Kota Pontianak",
        signer={
            "name": "Ir. Mulyadi, M.T.",
            "title": "Sekretaris Daerah Kota Pontianak selaku Koordinator SPBE",
            "nip": "19700101 199503 1 001",
        },
        maker={
            "name": "Dr. Rina Kartika, S.Kom., M.T.",
            "title": "Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
            "nip": "19780101 200501 2 001",
        },
        content=sample_content(),
        draft=False,
    )
