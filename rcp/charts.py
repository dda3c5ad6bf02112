"""Bar charts of RCP activity drawn on the server as SVG geometry.

The template draws what this computes (no JavaScript); the same numbers are
in a table beside each chart, and the SVG carries a title and a description.
"""

import math

from .indicators import Row

# Not Django's month abbreviations (date format "N"): they write "jan." and
# "fév.", where French typography writes "janv." and "févr.".
MONTH_ABBR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 24, 56


def nice_ceiling(value: float) -> int:
    """A round upper bound for the axis (1, 2, 5 × a power of ten)."""
    if value <= 0:
        return 10
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


def _short_label(row: Row, kind: str) -> str:
    start = row.period.start
    if kind == "annee":
        return str(start.year)
    if kind == "quinzaine" and start.day != 1:
        return ""
    return f"{MONTH_ABBR[start.month - 1]} {start:%y}"


def files_chart(rows: list[Row], kind: str) -> dict:
    """Files discussed per period, this year beside the year before, with alerts."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    top_value = nice_ceiling(max([1] + [max(r.current.files, r.previous.files) for r in rows]))
    scale = plot_height / top_value
    group = plot_width / max(len(rows), 1)
    bar = max(min(group * 0.38, 40), 2)
    baseline = TOP + plot_height
    bars, labels, alerts = [], [], []
    for index, row in enumerate(rows):
        x = LEFT + index * group + (group - 2 * bar) / 2
        for offset, value, css in (
            (0, row.previous.files, "bar-previous"),
            (bar, row.current.files, "bar-current"),
        ):
            height = value * scale
            bars.append(
                {"x": x + offset, "y": baseline - height, "w": bar, "h": height, "css": css}
            )
        label = _short_label(row, kind)
        if label:
            labels.append({"x": x + bar, "y": baseline + 18, "text": label})
        if row.alert:
            alerts.append({"x": x + 1.5 * bar, "y": baseline - row.current.files * scale - 6})
    ticks = [
        {"y": baseline - value * scale, "value": value}
        for value in range(0, top_value + 1, max(top_value // 5, 1))
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": baseline,
        "bars": bars,
        "labels": labels,
        "alerts": alerts,
        "ticks": ticks,
        "legend_y": HEIGHT - 12,
    }
