"""Numbering under concurrency: consecutive numbers, never the same, never a gap.

Runs on SQLite and on PostgreSQL (CI sets DATABASE_URL): on PostgreSQL the sequence row is
locked with SELECT ... FOR UPDATE; SQLite has no row locks and serializes the writers.
"""

import threading
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from institutions.models import User
from letters import services
from letters.models import IssuingUnit, Letter, NumberSequence


def run_at_once(calls):
    """Run the calls in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported to the test, not lost in the thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def fresh(letter):
    """The letter as a new request would load it."""
    return Letter.objects.select_related("cycle__institution").get(pk=letter.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("numbered_before", [0, 41], ids=["first-of-year", "sequence-exists"])
def test_two_letters_numbered_at_once_get_consecutive_numbers(
    institution, drafted, to_status, secretariat, numbered_before
):
    if numbered_before:
        year = timezone.localdate(timezone=zoneinfo.ZoneInfo(institution.time_zone)).year
        NumberSequence.objects.create(institution=institution, year=year, last=numbered_before)
    for letter in drafted:
        to_status(letter, "approved")
    letters = [fresh(letter) for letter in drafted]
    users = [User.objects.get(pk=secretariat.pk) for _ in letters]
    results = run_at_once(
        [
            lambda letter=letter, user=user: services.number_letter(letter, by=user)
            for letter, user in zip(letters, users, strict=True)
        ]
    )
    assert [type(result) for result in results] == [Letter, Letter]
    numbered = Letter.objects.filter(pk__in=[letter.pk for letter in drafted])
    year = numbered[0].letter_date.year
    first, second = numbered_before + 1, numbered_before + 2
    assert sorted(numbered.values_list("sequence", flat=True)) == [first, second]
    assert sorted(numbered.values_list("number", flat=True)) == [
        f"005/{first}/DISKOMINFO/{year}",
        f"005/{second}/DISKOMINFO/{year}",
    ]
    assert NumberSequence.objects.get(institution=institution, year=year).last == second


@pytest.mark.django_db(transaction=True)
def test_one_letter_numbered_twice_at_once_gets_one_number(
    institution, letter, to_status, secretariat
):
    to_status(letter, "approved")
    # Two requests, each with its own copy of the letter and of the user.
    copies = [(fresh(letter), User.objects.get(pk=secretariat.pk)) for _ in range(2)]
    results = run_at_once([lambda c=c, u=u: services.number_letter(c, by=u) for c, u in copies])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert [type(r) for r in results].count(Letter) == 1
    assert [error.messages for error in refused] == [["Surat ini sudah bernomor."]]
    letter.refresh_from_db()
    assert (letter.status, letter.sequence) == ("numbered", 1)
    assert NumberSequence.objects.get(institution=institution).last == 1


def test_the_sequence_continues_across_cycles_letters(drafted, to_status, secretariat):
    for letter in drafted:
        to_status(letter, "numbered")
    assert [letter.sequence for letter in drafted] == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_a_circular_and_a_diskominfo_letter_numbered_at_once_take_their_own_registers(
    institution, drafted, to_status, secretariat, coordinator, cycle
):
    """The Setda's register and the Diskominfo's are two sequence rows: numbering in both at
    once gives each its own first number."""
    IssuingUnit.objects.create(
        institution=institution,
        name="Sekretariat Daerah",
        code="Setda-Org",
        letter_number_format="800/{seq}/Setda-Org/{year}",
        is_secretariat=True,
    )
    circular = services.draft_circular(cycle, by=coordinator)
    letters = [drafted[0], circular]
    for letter in letters:
        to_status(letter, "approved")
    copies = [(fresh(letter), User.objects.get(pk=secretariat.pk)) for letter in letters]
    results = run_at_once([lambda c=c, u=u: services.number_letter(c, by=u) for c, u in copies])
    assert [type(result) for result in results] == [Letter, Letter]
    year = institution.today().year
    assert [fresh(letter).number for letter in letters] == [
        f"005/1/DISKOMINFO/{year}",
        f"800/1/Setda-Org/{year}",
    ]
    assert dict(
        NumberSequence.objects.filter(year=year).values_list("issuing_unit__code", "last")
    ) == {None: 1, "Setda-Org": 1}
