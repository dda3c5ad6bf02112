"""Bar charts of RCP activity drawn on the server as SVG geometry.

The template draws the frame of what this computes (no JavaScript), and its
repeated marks (bars, ticks, labels, alerts) come written here: fifty bars
through template loops and filters cost more than the rest of the chart. The
same numbers are in a table beside each chart, and the SVG carries a title
and a description.
"""

import math
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

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


_TENTH = Decimal("0.1")


def coordinate(value: float) -> str:
    """A coordinate as Django's ``floatformat:"1u"`` writes it: one decimal,
    rounded half up from the value's shortest repr, no locale, no "-0.0"."""
    rounded = Decimal(repr(value)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}"


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
        **_marks(ticks, bars, labels, alerts),
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


def _marks(ticks, bars, labels, alerts) -> dict[str, SafeString]:
    """The chart's repeated SVG elements, each kind as one string."""
    ticks_svg = []
    for tick in ticks:
        y = coordinate(tick["y"])
        ticks_svg.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="chart-tick" x="{LEFT - 6}" y="{y}">{tick["value"]}</text>'
        )
    bars_svg = "".join(
        f'<rect class="{bar["css"]}" x="{coordinate(bar["x"])}" y="{coordinate(bar["y"])}" '
        f'width="{coordinate(bar["w"])}" height="{coordinate(bar["h"])}"/>'
        for bar in bars
    )
    labels_svg = "".join(
        f'<text class="chart-label" x="{coordinate(label["x"])}" y="{coordinate(label["y"])}">'
        f"{escape(label['text'])}</text>"
        for label in labels
    )
    alerts_svg = "".join(
        f'<text class="chart-alert" x="{coordinate(alert["x"])}" y="{coordinate(alert["y"])}">'
        "\u25bc</text>"
        for alert in alerts
    )
    # Numbers and fixed class names, the labels escaped: safe to print as they are.
    return {
        "ticks_svg": mark_safe("".join(ticks_svg)),
        "bars_svg": mark_safe(bars_svg),
        "labels_svg": mark_safe(labels_svg),
        "alerts_svg": mark_safe(alerts_svg),
    }
