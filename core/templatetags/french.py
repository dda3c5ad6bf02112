"""French typography in templates: elision before a vowel, no-break spaces in
text typed by staff, dates with "1er".

    {% load french %}
    les centres {{ centre.city|de }}       -> "de Brest", "d’Ajaccio"
    {{ rcp.description|typo }}             -> "Présents : ..." with a no-break space
    relue le {{ page.last_reviewed|french_date }}  -> "1er octobre 2026"
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from core import dates, text

register = template.Library()


@register.filter(is_safe=True)
def de(value) -> str:
    """ "de" before a name, elided before a vowel: "de Brest", "d’Ajaccio", "d’Yerres".

    A name starting with "h" keeps "de": the mute h ("d’Hyères") and the
    aspirated one ("de Haguenau") cannot be told apart without a dictionary.
    """
    return text.with_de(value)


@register.filter(is_safe=True)
def typo(value) -> str:
    """No-break spaces before : ; ? ! and inside « » in text typed by staff
    (descriptions, notes). Safe input stays safe: only spaces change."""
    return text.typo(str(value))


@register.filter
def french_date(value) -> str:
    """ "1er octobre 2026", "24 novembre 2026" (Django's "j F Y" writes "1 octobre")."""
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.format_date(value, weekday=False)
