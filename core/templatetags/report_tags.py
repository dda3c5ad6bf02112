"""The « Signaler une erreur » link of detail pages (templates/includes/report_error.html)."""

from django import template
from django.conf import settings

from core.mailto import report_error_mailto

register = template.Library()


@register.simple_tag(takes_context=True)
def report_error(context, *, title, to=""):
    """The address a report goes to (`to`, else the network's) and the `mailto:`
    URL, with this page's absolute URL (without its query string)."""
    request = context["request"]
    address = (to or "").strip() or settings.NETWORK_EMAIL
    url = report_error_mailto(
        title=str(title), url=request.build_absolute_uri(request.path), to=address
    )
    return {"address": address, "url": url}
