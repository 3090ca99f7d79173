"""The meeting's time and place as its official documents print them (in the words of
documents.formal), and the text of its invitation letter. Not translated: the letter, the
daftar hadir and the notulen are Indonesian documents whatever language their author's
screens use."""

from django.conf import settings
from django.urls import reverse

from cycles.team import decree_citation
from documents.formal import hari_tanggal, pukul, region_name, zone_name


def meeting_facts(meeting):
    """The meeting's when and where as printed: {day, time, place, agenda, ...}."""
    time_zone = meeting.cycle.institution.time_zone
    zone = zone_name(time_zone)
    start, end = pukul(meeting.starts_at, time_zone), pukul(meeting.ends_at, time_zone)
    return {
        "day": hari_tanggal(meeting.starts_at, time_zone),
        "time": f"{start} – {end} {zone}",
        "start": f"{start} {zone}",
        "place": meeting.place,
        "agenda": meeting.agenda or default_agenda(meeting.cycle),
        "started": f"{pukul(meeting.started_at, time_zone)} {zone}" if meeting.started_at else "",
    }


def default_agenda(cycle):
    return (
        f"Rapat Koordinasi dan Penyampaian Evaluasi Mandiri SPBE {region_name(cycle.institution)} "
        f"Tahun {cycle.year}"
    )


def meeting_url(meeting):
    return settings.SITE_URL + reverse("meeting_detail", args=[meeting.cycle_id])


def invitation_texts(meeting):
    """(subject, body, attachment) of the meeting's invitation letter; it cites the
    evaluator team's decree (cycles.team.decree_citation) when the cycle has a confirmed one."""
    cycle = meeting.cycle
    facts = meeting_facts(meeting)
    region = region_name(cycle.institution)
    person = cycle.contact_person.get_full_name()
    phone = cycle.contact_phone or cycle.institution.phone
    contact = f"Konfirmasi kehadiran dapat disampaikan kepada narahubung kami, {person}" + (
        f", telepon {phone}." if phone else "."
    )
    # The team that holds the meeting, by the decree that formed it (once confirmed).
    citation = decree_citation(cycle)
    team = f" oleh tim yang dibentuk dengan {citation}" if citation else ""
    body = "\n\n".join(
        [
            "Dalam rangka pelaksanaan Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis "
            f"Elektronik (SPBE) Tahun {cycle.year} di lingkungan Pemerintah {region}{team}, "
            "dengan hormat kami mengundang Saudara untuk menghadiri rapat koordinasi yang akan "
            "dilaksanakan pada:",
            f"hari, tanggal: {facts['day']}\n"
            f"pukul: {facts['time']}\n"
            f"tempat: {facts['place']}\n"
            f"acara: {facts['agenda']}",
            "Mengingat pentingnya acara tersebut, kami mohon Saudara atau pejabat yang menangani "
            "SPBE beserta operator yang mengisi formulir evaluasi dapat hadir tepat waktu. "
            "Daftar hadir elektronik dapat diisi melalui aplikasi Monev SPBE di "
            f"{meeting_url(meeting)}.",
            contact,
            "Demikian disampaikan, atas perhatian dan kehadiran Saudara diucapkan terima kasih.",
        ]
    )
    subject = f"Undangan Rapat Koordinasi Evaluasi Mandiri SPBE Tahun {cycle.year}"
    return subject, body, "-"
