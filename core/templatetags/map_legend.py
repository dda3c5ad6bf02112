"""The pie a map marker draws, for the map legend (same shape as on the map)."""

from django import template
from django.utils.safestring import mark_safe

from core.maps import pie

register = template.Library()


@register.filter
def axis_pie(axes):
    """A small inline SVG pie of these axes' colours (one axis: a disc), hidden from
    assistive technologies (the legend's text says what it means)."""
    colours = tuple(axis.colour for axis in axes)
    if not colours:
        return ""
    # pie() only writes numbers and colours that match #RRGGBB: nothing typed goes through.
    return mark_safe(
        '<svg class="map-swatch" viewBox="-7 -7 14 14" width="18" height="18" '
        f'aria-hidden="true" focusable="false">{pie(colours)}</svg>'
    )


@register.filter
def axis_pie_one(axis):
    """The disc of one axis, as its centres show on the map."""
    return axis_pie([axis])
