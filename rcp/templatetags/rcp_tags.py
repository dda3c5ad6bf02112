"""Template filters and tags of the RCP pages, and the centre page's RCP section.

Dates are formatted in the RCP's own zone: these filters do not convert to
the site's zone the way Django's `date` filter does.
"""

from django import template
from django.utils import timezone

from core import dates
from core.text import with_de
from rcp import frenchdates
from rcp.feeds import feed_links
from rcp.models import Rcp
from rcp.schedule import next_session

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"


@register.filter
def rcp_datetime(value):
    """ "mardi 24 novembre 2026 à 14 h 00" (+ the zone outside Paris time)."""
    return frenchdates.format_datetime(value) if value else ""


@register.filter
def rcp_local(value):
    """ "mardi 24 novembre 2026 à 14 h 00", the zone left to the table's caption."""
    return frenchdates.format_local(value) if value else ""


@register.filter
def rcp_day(value):
    """ "mardi 24 novembre 2026"."""
    return dates.format_date(value) if value else ""


@register.filter
def rcp_short_day(value):
    """ "mardi 24 novembre"."""
    return dates.format_date(value, year=False) if value else ""


@register.filter
def rcp_time(value):
    """ "14 h 00"."""
    return dates.format_time(value) if value else ""


@register.filter
def rcp_zone(value):
    """ " (heure de La Réunion ; 11 h 00 à Paris)", or "" in Paris time."""
    return frenchdates.zone_suffix(value) if value else ""


@register.filter
def decimal_fr(value, digits=1):
    """3.456 -> "3,5"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}".replace(".", ",")


@register.filter
def change_pct(value):
    """-35.2 -> "−35 %", 4 -> "+4 %", None -> "—"."""
    if value is None:
        return "—"
    rounded = round(value)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return f"{sign}{abs(rounded)}{NNBSP}%"


@register.inclusion_tag("rcp/includes/centre_section.html", takes_context=True)
def centre_rcps(context, centre):
    """The "RCP du centre" section of a centre page: the RCPs it organises or
    takes part in, with their next meeting. Two queries, whatever their number."""
    rcps = list(
        Rcp.objects.published()
        .involving(centre)
        .select_related("organiser__department")
        .prefetch_related("exceptions")
        .order_by("name")
    )
    now = timezone.now()
    return {
        "centre": centre,
        "items": [(rcp, rcp.organiser_id == centre.pk, next_session(rcp, now=now)) for rcp in rcps],
        "feeds": [
            feed_links(context["request"], f"RCP {with_de(centre)}", "centre", args=[centre.slug])
        ]
        if rcps
        else [],
    }
