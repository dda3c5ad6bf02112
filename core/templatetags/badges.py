"""Axis badges and dots, written in Python: every card of the directory, the RCP
list and the trial finder prints them, and as template includes (one per card,
one more per axis) they cost more than the rest of the card.

    {% load badges %}
    {{ centre.axes.all|axis_badges }}   -> <ul class="axis-badges" ...>...</ul>
    {{ axis.colour|axis_dot }}          -> the axis's coloured disc (decorative)

The markup is that of templates/includes/axis_badges.html and axis_dot.html,
which stay for the pages that include them once.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def axis_dot(colour) -> str:
    """The coloured disc of an axis, hidden from assistive technologies."""
    return mark_safe(
        '<svg class="dot" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" '
        f'focusable="false"><circle cx="6" cy="6" r="5.5" fill="{escape(colour)}"/></svg>\n'
    )


@register.filter
def axis_badges(axes) -> str:
    """A list of the axes' short names, each with its dot; nothing without axes."""
    items = "".join(
        f'<li class="axis-badge">{axis_dot(axis.colour)}{escape(axis.short_name)}</li>'
        for axis in axes
    )
    if not items:
        return mark_safe("\n")
    return mark_safe(f'<ul class="axis-badges" aria-label="Cancers">{items}</ul>\n')
