"""The leaders' view of their institution's evaluation (the Sekda's and the Kabid's home
page): the latest finished result with its change from the year before and the
year-over-year chart, and how far the current cycle has come. Reads only: it reuses the
assessments' comparison and charts, the SOP step lines and the recap's per-OPD progress."""

from dataclasses import dataclass

from assessments.charts import comparison_charts
from assessments.models import Assessment
from assessments.queries import year_over_year
from cycles.models import Cycle, StepRun
from cycles.permissions import CLOSING_STEP
from cycles.queries import step_lines
from recap.queries import agency_progress


@dataclass(frozen=True)
class FinishedResult:
    """The latest cycle whose hasil evaluasi mandiri is final, compared with the years
    before it (assessments.queries.YearOverYear) and drawn (assessments.charts)."""

    comparison: object
    charts: dict

    @property
    def year(self):
        return self.comparison.current

    @property
    def cycle(self):
        return self.comparison.cycle

    @property
    def previous(self):
        """The year before in the comparison (YearResult), or None."""
        return self.comparison.earlier[-1] if self.comparison.earlier else None

    @property
    def change(self):
        return self.comparison.index_change


def latest_finished_result(institution_id):
    """FinishedResult of the institution's newest cycle with a final result, or None. The
    cycle, then year_over_year's queries (cycles, framework trees, levels, national values)."""
    cycle = (
        Cycle.objects.filter(
            institution_id=institution_id, assessment__status=Assessment.Status.FINAL
        )
        .order_by("-year")
        .first()
    )
    if cycle is None:
        return None
    comparison = year_over_year(cycle)
    # The overview shows the domain bars only.
    charts = comparison_charts(comparison, radar=False)
    return FinishedResult(comparison=comparison, charts=charts)


@dataclass(frozen=True)
class CycleProgress:
    """The current cycle: its running SOP steps (cycles.queries.StepLine, with their time
    against the standard) and its OPDs (recap.queries.agency_progress) done and late."""

    cycle: object
    running: list
    agencies: int
    done: int
    late: int


def current_progress(institution_id):
    """CycleProgress of the institution's newest cycle not closed yet (SOP step 8 not done),
    or None: the cycle, its step lines, its OPDs' progress (fixed numbers of queries)."""
    cycle = (
        Cycle.objects.filter(institution_id=institution_id)
        .exclude(
            pk__in=StepRun.objects.filter(number=CLOSING_STEP, status=StepRun.Status.DONE).values(
                "cycle_id"
            )
        )
        .select_related("institution", "framework", "sop")
        .order_by("-year")
        .first()
    )
    if cycle is None:
        return None
    running = [line for line in step_lines(cycle) if line.run.status == StepRun.Status.RUNNING]
    rows = [row for row in agency_progress(cycle) if row.assigned]
    return CycleProgress(
        cycle=cycle,
        running=running,
        agencies=len(rows),
        done=sum(1 for row in rows if row.is_done),
        late=sum(1 for row in rows if row.is_late),
    )
