"""The default texts of a cycle's step-1 letters, and the parts derived from the
institution (the usual tembusan, the signer; the region's name is documents.formal's). The
coordinator edits them before the letters go to the supervisor."""

from django.utils.translation import gettext as _

from documents.formal import region_name, tanggal
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
