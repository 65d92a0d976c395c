"""Server-rendered SVG bar charts for newsletter results (no JavaScript, no CDN)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 190
BAR_AREA = 320
ROW = 22


def bar_chart(title: str, rows: list[tuple[str, float, str]]) -> SafeString:
    """Horizontal bars, one per (label, percent 0–100, value text)."""
    height = ROW * len(rows) + 10
    width = LABEL_WIDTH + BAR_AREA + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, percent, text) in enumerate(rows):
        y = 5 + index * ROW
        bar = round(BAR_AREA * max(0.0, min(percent, 100.0)) / 100)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" '
            f'font-size="13">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="{ROW - 6}" '
            f'fill="#1d4f91"><title>{escape(text)}</title></rect>'
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 15}" font-size="12">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
