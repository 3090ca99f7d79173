"""Every write the load test saw confirmed is in the database: prints OK, or each miss and
exits 1.

    .venv/bin/python tools/loadtest/check_stored.py CONFIRMED.jsonl

Run by scripts/loadtest after the users stopped, against the same database (DATABASE_URL).
CONFIRMED.jsonl holds one line per confirmed write (tools/loadtest/locustfile.py):

- "save": an autosave answered "Tersimpan" with the new version. Per answer, the save with
  the highest version is the last one; unless the answer was handed in afterwards, the stored
  level, FAKTA and ANALISIS are its values and the stored version is its version.
- "submit": "Ajukan isian ini" that led to the portal: the answer is handed in ("submitted")
  with exactly the values sent.
- "upload": a file the data dukung panel answered as stored: its SHA-256 is among the
  evidence revisions of that OPD in that cycle.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")

import django  # noqa: E402

django.setup()

from evidence.models import EvidenceRevision  # noqa: E402
from submissions.models import Submission  # noqa: E402


def _level(value):
    return int(value) if value not in ("", None) else None


def misses_of(records):
    last_save, submits, uploads = {}, {}, []
    for record in records:
        key = (record["cycle"], record["agency"], record["indicator"])
        if record["kind"] == "save":
            if key not in last_save or record["version"] > last_save[key]["version"]:
                last_save[key] = record
        elif record["kind"] == "submit":
            submits[key] = record
        else:
            uploads.append(record)
    stored = {
        (s.cycle_id, s.agency_id, s.indicator_id): s
        for s in Submission.objects.filter(cycle_id__in={key[0] for key in (*last_save, *submits)})
    }
    misses = []
    for key in sorted(set(last_save) | set(submits)):
        answer = stored.get(key)
        expected = submits.get(key) or last_save[key]
        label = "cycle {}, OPD {}, indicator {}".format(*key)
        if answer is None:
            misses.append(f"{label}: no answer stored")
            continue
        values = (_level(expected["level"]), expected["fakta"], expected["analisis"])
        if (answer.level, answer.fakta, answer.analisis) != values:
            misses.append(f"{label}: the stored text is not the last confirmed {expected['kind']}")
        if key in submits and answer.status != Submission.Status.SUBMITTED:
            misses.append(f"{label}: handed in, but stored as {answer.status}")
        if key not in submits and answer.version != expected["version"]:
            misses.append(
                f"{label}: stored version {answer.version}, last confirmed {expected['version']}"
            )
    hashes = {}
    for record in uploads:
        hashes.setdefault((record["cycle"], record["agency"]), set()).add(record["sha256"])
    for (cycle, agency), wanted in sorted(hashes.items()):
        found = set(
            EvidenceRevision.objects.filter(
                evidence__cycle_id=cycle, evidence__agency_id=agency, sha256__in=wanted
            ).values_list("sha256", flat=True)
        )
        for sha256 in sorted(wanted - found):
            misses.append(f"cycle {cycle}, OPD {agency}: upload {sha256[:16]}… not stored")
    return len(last_save) + len(submits), len(uploads), misses


def main(path):
    lines = Path(path).read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    answers, uploads, misses = misses_of(records)
    kinds = [record["kind"] for record in records]
    print(
        f"Stored check: {kinds.count('save')} confirmed autosaves and {kinds.count('submit')} "
        f"submits over {answers} answers, {uploads} confirmed uploads"
    )
    if misses:
        for miss in misses:
            print(f"  MISS {miss}")
        print(f"Stored check FAILED: {len(misses)} miss(es)")
        sys.exit(1)
    print("Stored check OK: every confirmed save and upload is stored")


if __name__ == "__main__":
    main(sys.argv[1])
