"""Numbers and dates in Indonesian words, as a Berita Acara writes them: "Pada hari ini,
Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam (22-11-2026)".

Not translated: these are the words of an Indonesian official document.
"""

from documents.dates import MONTHS

ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
# Monday first, as datetime.date.weekday() counts.
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def terbilang(number):
    """A whole number in Indonesian words: 22 → "dua puluh dua", 11 → "sebelas",
    100 → "seratus", 1000 → "seribu", 2026 → "dua ribu dua puluh enam"."""
    number = int(number)
    if number < 0:
        return f"minus {terbilang(-number)}"
    if number < 12:
        return ONES[number]
    if number < 20:
        return f"{ONES[number - 10]} belas"
    if number < 100:
        return _join(f"{ONES[number // 10]} puluh", number % 10)
    if number < 1000:
        head = "seratus" if number < 200 else f"{ONES[number // 100]} ratus"
        return _join(head, number % 100)
    if number < 10**6:
        head = "seribu" if number < 2000 else f"{terbilang(number // 1000)} ribu"
        return _join(head, number % 1000)
    for size, name in SCALES:
        if number >= size:
            return _join(f"{terbilang(number // size)} {name}", number % size)
    raise AssertionError("unreachable")


def _join(head, rest):
    return f"{head} {terbilang(rest)}" if rest else head


def day_name(date):
    """ "Senin" ... "Minggu"."""
    return DAYS[date.weekday()]


def month_name(date):
    return MONTHS[date.month - 1]


def date_in_words(date):
    """ "Minggu tanggal dua puluh dua bulan November tahun dua ribu dua puluh enam
    (22-11-2026)", the date as the opening sentence of a Berita Acara spells it."""
    return (
        f"{day_name(date)} tanggal {terbilang(date.day)} bulan {month_name(date)} "
        f"tahun {terbilang(date.year)} ({date:%d-%m-%Y})"
    )
