"""The default texts of a cycle's step-1 letters and of its Surat Edaran Sekretaris Daerah,
and the parts derived from the institution (the usual tembusan, the signers; the region's
name is documents.formal's). The coordinator edits them before the letters go to the
supervisor."""

from django.utils.translation import gettext as _

from documents.formal import day_name, month_name, region_name, tanggal, terbilang
from institutions.models import Institution
from letters.models import Letter


def default_carbon_copies(institution):
    """The usual tembusan of a regional government's letter: its head (as a report) and the
    regional secretary. Institutions that are not regional governments get none."""
    region = region_name(institution)
    heads = {
        Institution.Kind.CITY: ("Kota ", _("Wali Kota")),
        Institution.Kind.REGENCY: ("Kabupaten ", _("Bupati")),
        Institution.Kind.PROVINCE: ("Provinsi ", _("Gubernur")),
    }
    if institution.kind not in heads:
        return []
    prefix, head = heads[institution.kind]
    place = region[len(prefix) :] if region.startswith(prefix) else region
    return [
        _("%(head)s %(place)s (sebagai laporan)") % {"head": head, "place": place},
        _("Sekretaris Daerah %(region)s") % {"region": region},
    ]


def default_signer(institution):
    """(name, title, NIP) of the letters' signer: the institution's, or a placeholder for
    the head of Diskominfo that the coordinator completes."""
    if institution.signer_name:
        return institution.signer_name, institution.signer_title, institution.signer_nip
    title = _("Kepala Dinas Komunikasi dan Informatika %(region)s") % {
        "region": region_name(institution)
    }
    return _("[Nama Kepala Dinas Komunikasi dan Informatika]"), title, ""


def _contact_sentence(cycle):
    person = cycle.contact_person.get_full_name()
    phone = cycle.contact_phone or cycle.institution.phone
    if phone:
        return _(
            "Informasi lebih lanjut dapat diperoleh melalui narahubung kami, %(person)s, "
            "telepon %(phone)s."
        ) % {"person": person, "phone": phone}
    return _("Informasi lebih lanjut dapat diperoleh melalui narahubung kami, %(person)s.") % {
        "person": person
    }


def default_texts(cycle):
    """{kind: (subject, body, attachment)} of the step-1 letters of a cycle."""
    values = {
        "year": cycle.year,
        "region": region_name(cycle.institution),
        "deadline": tanggal(cycle.deadline),
    }
    basis = (
        _(
            "Dalam rangka pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
            "Elektronik (SPBE) Tahun %(year)s di lingkungan Pemerintah %(region)s sesuai "
            "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 59 "
            "Tahun 2020 tentang Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
            "Elektronik,"
        )
        % values
    )
    closing = _(
        "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih."
    )
    invitation = "\n\n".join(
        [
            basis
            + " "
            + _(
                "dengan hormat kami mengundang Saudara untuk berpartisipasi dalam evaluasi "
                "mandiri SPBE Tahun %(year)s, dengan menugaskan pejabat atau operator yang "
                "akan mengisi formulir evaluasi dan mengunggah data dukung melalui aplikasi "
                "Monev SPBE."
            )
            % values,
            _(
                "Pengisian formulir evaluasi beserta data dukung agar diselesaikan paling "
                "lambat tanggal %(deadline)s."
            )
            % values,
            _contact_sentence(cycle),
            closing,
        ]
    )
    data_request = "\n\n".join(
        [
            basis
            + " "
            + _(
                "bersama ini kami mohon bantuan Saudara untuk mengisi formulir evaluasi SPBE "
                "pada indikator yang menjadi tanggung jawab OPD Saudara sebagaimana tercantum "
                "dalam lampiran surat ini, disertai data dukung untuk setiap indikator, melalui "
                "aplikasi Monev SPBE."
            )
            % values,
            _(
                "Formulir evaluasi beserta data dukung kami harapkan telah lengkap paling "
                "lambat tanggal %(deadline)s."
            )
            % values,
            _contact_sentence(cycle),
            closing,
        ]
    )
    return {
        Letter.Kind.INVITATION: (
            _("Undangan Pelaksanaan Evaluasi SPBE Tahun %(year)s") % values,
            invitation,
            "-",
        ),
        Letter.Kind.DATA_REQUEST: (
            _("Permohonan Data Evaluasi SPBE Tahun %(year)s") % values,
            data_request,
            _("1 (satu) berkas"),
        ),
    }


# --- The Surat Edaran Sekretaris Daerah (SOP step 4) -------------------------------------


def deadline_in_words(date):
    """The deadline in words and figures, as a Surat Edaran spells it: "hari Selasa tanggal
    15 (lima belas) Desember 2026"."""
    return _("hari %(day)s tanggal %(d)s (%(words)s) %(month)s %(year)s") % {
        "day": day_name(date),
        "d": date.day,
        "words": terbilang(date.day),
        "month": month_name(date),
        "year": date.year,
    }


def circular_signer(institution):
    """(name, title, NIP) of the Surat Edaran's signer: the institution's one leader (the
    Sekda, as reports.services.default_leader finds them), or a placeholder to complete."""
    from reports.services import default_leader  # reports is above letters

    region = region_name(institution)
    title = _("Sekretaris Daerah %(region)s") % {"region": region}
    leader = default_leader(institution)
    if leader is None:
        return _("[Nama Sekretaris Daerah]"), title, ""
    return leader.get_full_name(), leader.position or title, leader.nip


def circular_carbon_copies(institution):
    """The Surat Edaran's tembusan: the head of the region (the Sekda signs it)."""
    return default_carbon_copies(institution)[:1]


def circular_texts(cycle):
    """(subject, body) of the cycle's Surat Edaran: the background, the basis (PermenPANRB
    59/2020 and the team decree when the cycle has one), what each Kepala OPD is asked, the
    deadline in words and figures, the contact and the closing; one numbered point per
    paragraph, "a." ... lines as its sub-points."""
    from cycles.team import decree_citation  # the evaluator team's decree (cycles)

    region = region_name(cycle.institution)
    values = {"year": cycle.year, "region": region}
    basis = [
        _(
            "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 59 "
            "Tahun 2020 tentang Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
            "Elektronik"
        )
    ]
    citation = decree_citation(cycle)
    if citation:
        basis.append(citation)
    basis_lines = [
        f"{chr(ord('a') + index)}. {text}{';' if index < len(basis) - 1 else '.'}"
        for index, text in enumerate(basis)
    ]
    person = cycle.contact_person.get_full_name()
    phone = cycle.contact_phone or cycle.institution.phone
    contact_values = {"person": person, "phone": phone, "institution": cycle.institution.name}
    if phone:
        contact = (
            _(
                "Informasi lebih lanjut dapat diperoleh melalui narahubung Evaluasi SPBE, "
                "%(person)s, telepon %(phone)s."
            )
            % contact_values
        )
    else:
        contact = (
            _(
                "Informasi lebih lanjut dapat diperoleh melalui narahubung Evaluasi SPBE, "
                "%(person)s."
            )
            % contact_values
        )
    asked = [
        _(
            "menugaskan pejabat atau operator yang bertanggung jawab atas pengisian evaluasi "
            "SPBE di Perangkat Daerah Saudara;"
        ),
        _(
            "mengisi indikator evaluasi SPBE yang menjadi tanggung jawab Perangkat Daerah "
            "Saudara melalui aplikasi Monev SPBE;"
        ),
        _("mengunggah data dukung untuk setiap indikator yang diisi melalui aplikasi Monev SPBE;"),
        _(
            "menyelesaikan pengisian indikator dan pengunggahan data dukung paling lambat "
            "%(deadline)s."
        )
        % {"deadline": deadline_in_words(cycle.deadline)},
    ]
    points = [
        _(
            "Dalam rangka pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
            "Elektronik (SPBE) Tahun %(year)s di lingkungan Pemerintah %(region)s, setiap "
            "Perangkat Daerah menyampaikan isian indikator evaluasi SPBE beserta data "
            "dukungnya sebagai bahan evaluasi mandiri."
        )
        % values,
        "\n".join([_("Dasar pelaksanaan Surat Edaran ini:"), *basis_lines]),
        "\n".join(
            [
                _(
                    "Sehubungan dengan hal tersebut, diminta kepada Saudara Kepala Perangkat "
                    "Daerah untuk:"
                ),
                *(f"{chr(ord('a') + index)}. {text}" for index, text in enumerate(asked)),
            ]
        ),
        contact,
        _("Demikian Surat Edaran ini disampaikan untuk dilaksanakan dengan penuh tanggung jawab."),
    ]
    subject = (
        _(
            "Pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis Elektronik "
            "Tahun %(year)s"
        )
        % values
    )
    return subject, "\n\n".join(points)
