"""Server-rendered SVG bar charts for newsletter results (no JavaScript, no CDN)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 190
BAR_AREA = 320


SERIES_COLOURS = ("#1d4f91", "#2e8540", "#b3261e")  # opened, clicked, bounced
BAR = 14


def grouped_bar_chart(
    title: str,
    series: list[str],
    groups: list[tuple[str, list[tuple[float, str]]]],
) -> SafeString:
    """Per group (label) one horizontal bar per series (percent 0–100, value text),
    with a legend: e.g. opened / clicked / bounced per language region."""
    legend_height = 24
    group_height = BAR * len(series) + 10
    height = legend_height + group_height * len(groups) + 6
    width = LABEL_WIDTH + BAR_AREA + 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    x = LABEL_WIDTH
    for name, colour in zip(series, SERIES_COLOURS, strict=False):
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>'
        )
        x += 16 + 8 * len(name) + 16
    for index, (label, bars) in enumerate(groups):
        top = legend_height + index * group_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + group_height / 2 + 4:.0f}" '
            f'text-anchor="end" font-size="13">{escape(label)}</text>'
        )
        for position, ((percent, text), colour) in enumerate(
            zip(bars, SERIES_COLOURS, strict=False)
        ):
            y = top + position * BAR
            bar = round(BAR_AREA * max(0.0, min(percent, 100.0)) / 100)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 1}" width="{bar}" '
                f'height="{BAR - 2}" fill="{colour}"><title>{escape(text)}</title>'
                f'</rect><text x="{LABEL_WIDTH + bar + 6}" y="{y + BAR - 3}" '
                f'font-size="11">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
