"""The outcomes report's figures as plain data (made by ``services.outcomes``, drawn here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class GoalAttainment:
    goal: str
    patients: int  # with a value before and after
    met_before: int
    met_after: int


@dataclass(frozen=True)
class AdherenceChange:
    patients: int  # in the program with fills before and after
    mean_pdc_before: float | None
    mean_pdc_after: float | None
    at_goal_before: int  # mean PDC >= 80 %
    at_goal_after: int


@dataclass(frozen=True)
class OutcomesReportData:
    start: date
    end: date
    visits_by_service: dict[str, int]
    visits_by_modality: dict[str, int]
    problems_by_category: dict[str, int]
    problems_by_cause: dict[str, int]
    recommendations: dict[str, int]  # response -> count
    problems_resolved: int
    median_days_to_resolution: float | None
    goals: tuple[GoalAttainment, ...]
    adherence: AdherenceChange
    # Readable names of the keys above, per series: {"service": {...}, "category": {...}}
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def visits_total(self) -> int:
        return sum(self.visits_by_service.values())

    @property
    def problems_total(self) -> int:
        return sum(self.problems_by_category.values())

    @property
    def recommendations_total(self) -> int:
        return sum(self.recommendations.values())

    def _label(self, series: str, key: str) -> str:
        return self.labels.get(series, {}).get(key, key)

    def series(self) -> dict[str, list[tuple[str, float]]]:
        """The chartable counts with readable labels (for the window, the PDF and the CSV)."""
        return {
            "Visits by service": [(self._label("service", k), v)
                                  for k, v in self.visits_by_service.items()],
            "Visits by modality": [(k.capitalize(), v) for k, v in self.visits_by_modality.items()],
            "Problems by category": [(self._label("category", k), v)
                                     for k, v in self.problems_by_category.items()],
            "Problems by cause": list(self.problems_by_cause.items()),
            "Recommendations by answer": [(self._label("response", k), v)
                                          for k, v in self.recommendations.items()],
        }

    def chart_series(self, limit: int = 10) -> dict[str, list[tuple[str, float]]]:
        """``series()`` for a chart: the largest bars, the rest summed into one "Other" bar,
        so free-text causes never crowd a chart or drop out of it."""
        return {title: fold_into_other(items, limit) for title, items in self.series().items()}

    @property
    def acceptance_rate(self) -> float | None:
        answered = sum(self.recommendations.get(k, 0) for k in ("accepted", "modified", "declined"))
        if not answered:
            return None
        return (self.recommendations.get("accepted", 0) + self.recommendations.get("modified", 0)) / answered


def fold_into_other(items: list[tuple[str, float]], limit: int) -> list[tuple[str, float]]:
    """The ``limit - 1`` largest items, then "Other (N more)" with the sum of the rest."""
    if len(items) <= limit:
        return list(items)
    ranked = sorted(items, key=lambda kv: -kv[1])
    head, tail = ranked[:limit - 1], ranked[limit - 1:]
    return head + [(f"Other ({len(tail)} more)", sum(v for _, v in tail))]
