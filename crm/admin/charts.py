"""Geometry of the server-rendered SVG chart of the eight quality marks (no JS, no CDN).

The template `crm/includes/quality_chart.html` draws what this computes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..quality import MarkScore

LABEL_WIDTH = 170
BAR_AREA = 300
ROW_HEIGHT = 26
TOP = 6
GROUP_GAP = 10  # between the functional-organisational and the ethical-moral marks
SCALE_MAX = 5


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: float | None
    count: int
    y: int
    bar_width: int

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.bar_width + 6


@dataclass(frozen=True)
class QualityChart:
    rows: list[ChartRow]
    ticks: list[tuple[int, int]]  # (value, x)
    width: int
    height: int
    bar_x: int = LABEL_WIDTH
    bar_height: int = ROW_HEIGHT - 8
    group_y: int = 0

    @property
    def has_data(self) -> bool:
        return any(row.value is not None for row in self.rows)


def quality_chart(profile: list[MarkScore]) -> QualityChart:
    rows = []
    for index, mark in enumerate(profile):
        y = TOP + index * ROW_HEIGHT + (GROUP_GAP if index >= 4 else 0)
        width = round((mark.value or 0) / SCALE_MAX * BAR_AREA)
        rows.append(ChartRow(mark.label, mark.value, mark.count, y, width))
    axis_y = TOP + len(profile) * ROW_HEIGHT + GROUP_GAP
    ticks = [
        (value, LABEL_WIDTH + round(value / SCALE_MAX * BAR_AREA))
        for value in range(1, SCALE_MAX + 1)
    ]
    return QualityChart(
        rows=rows,
        ticks=ticks,
        width=LABEL_WIDTH + BAR_AREA + 50,
        height=axis_y + 20,
        group_y=TOP + 4 * ROW_HEIGHT + GROUP_GAP // 2,
    )
