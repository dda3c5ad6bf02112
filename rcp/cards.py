"""The RCP directory's cards, written in Python.

A search near a place lists the nearest RCPs and every national one (about
120 cards at the network's full size); as a template included per card
(rcp/includes/rcp_card.html, itself including the next meeting and the demo
badge) they were most of the page's render. `card_html()` writes the same
markup, byte for byte: tests/rcp/test_cards.py renders both and compares them,
so the template stays the reference of what a card shows.
"""

from html import escape as _escape

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from core.templatetags.badges import axis_badges

from .frenchdates import format_datetime
from .models import Rcp
from .schedule import NextSession

PARIS = "Europe/Paris"
MOVED = ' <strong class="status status-moved">séance déplacée</strong>'
NO_DATE = (
    "<dt>Prochaine séance possible</dt><dd>Aucune date connue dans l’année à venir\u00a0: "
    "contactez le secrétariat.</dd>"
)


def escape(value) -> str:
    """As autoescaping prints a value (plain text here: no safe string reaches a card)."""
    return _escape(str(value))


def choice_labels(field: str) -> dict:
    """The French labels of an RCP field's choices, translated once per request
    rather than once per card (`get_FOO_display()` translates each time)."""
    language = get_language()
    found = _LABELS.get((field, language))
    if found is None:
        choices = Rcp._meta.get_field(field).choices
        found = _LABELS[field, language] = {key: str(label) for key, label in choices}
    return found


_LABELS: dict = {}


def _when(value) -> str:
    """The rcp_datetime filter."""
    return escape(format_datetime(value)) if value else ""


def next_session_html(session: NextSession | None) -> str:
    """What rcp/includes/next_session.html writes."""
    if not session:
        return '<p class="hint">Aucune séance prévue dans l’année à venir.</p>\n'
    meeting, reachable, closed = session.meeting, session.reachable, session.closed
    start_class = "" if closed else ' class="reachable-start"'
    first = f"<dd{start_class}>{_when(meeting.start)}{MOVED if meeting.is_moved else ''}"
    if closed:
        first += (
            ' — <strong class="status status-closed">dossiers clos le '
            f"{_when(meeting.deadline)}</strong>"
        )
    if not closed:
        then = (
            "<dt>Dossiers à envoyer avant le</dt>"
            f'<dd class="reachable-deadline">{_when(meeting.deadline)}</dd>\n  '
        )
    elif reachable:
        then = (
            f'<dt>Prochaine séance possible</dt><dd class="reachable-start">'
            f"{_when(reachable.start)}{MOVED if reachable.is_moved else ''}</dd>\n"
            "  <dt>Dossiers à envoyer avant le</dt>"
            f'<dd class="reachable-deadline">{_when(reachable.deadline)}</dd>\n  '
        )
    else:
        then = NO_DATE
    return f'<dl class="rcp-next">\n  <dt>Prochaine séance</dt>{first}</dd>\n  {then}\n</dl>\n'


def card_html(
    rcp: Rcp,
    session: NextSession | None,
    *,
    distance: float | None = None,
    level: int = 2,
    pick: bool = False,
    demo_badge: str = "",
) -> SafeString:
    """What rcp/includes/rcp_card.html writes for this RCP (`demo_badge`: the
    includes/demo_badge.html of a demonstration item, rendered once per page)."""
    name = escape(rcp.name)
    organiser = rcp.organiser
    city = f" ({escape(organiser.city)})" if organiser.city else ""
    scope = choice_labels("scope").get(rcp.scope, rcp.scope)
    mode = choice_labels("mode").get(rcp.mode, rcp.mode)
    parts = [
        f'<article class="card rcp-card">\n  <h{level} class="card-title">'
        f'<a href="{escape(rcp.get_absolute_url())}">{name}</a></h{level}>\n'
        f'  <p class="card-meta">{escape(scope)} · {escape(organiser)}'
        f"{city} · {escape(mode)}</p>\n  "
    ]
    if distance is not None:
        parts.append(
            f'<p class="distance"><strong>À {floatformat(distance, 0)}\u00a0km</strong> '
            "du centre organisateur</p>"
        )
    parts.append(f"\n  {axis_badges(rcp.axes.all())}\n  ")
    rhythm = rcp.schedule_text
    if rhythm:
        zone = f" ({escape(rcp.zone_label)})" if rcp.timezone != PARIS else ""
        parts.append(
            f'<p class="rcp-rhythm">{escape(capfirst(rhythm))}, à '
            f"{escape(_time(rcp.start_time))}{zone}.</p>"
        )
    parts.append(f"\n  {next_session_html(session)}\n  ")
    parts.append(demo_badge if rcp.is_demo else "\n")
    parts.append("\n  ")
    if pick:
        slug = escape(rcp.slug)
        parts.append(
            f'<p class="rcp-pick"><input type="checkbox" name="rcp" value="{slug}" '
            f'id="choix-{slug}"> <label for="choix-{slug}">Ajouter à ma sélection d’agenda'
            f'<span class="visually-hidden">\u00a0: {name}</span></label></p>'
        )
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))  # every text above is escaped


def _time(value) -> str:
    """The rcp_time filter."""
    from core.dates import format_time

    return format_time(value) if value else ""


def demo_badge() -> str:
    """The demonstration badge, as includes/demo_badge.html writes it."""
    return render_to_string("includes/demo_badge.html", {"item": {"is_demo": True}})
