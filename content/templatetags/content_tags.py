"""`{% editable_section "patients" %}`: the part of a page staff keep in the admin."""

from django import template

from ..models import Page

register = template.Library()


@register.inclusion_tag("content/includes/editable_section.html")
def editable_section(slug):
    """The published Markdown text of the editable page `slug`, if it has any."""
    page = Page.objects.published().filter(slug=slug).exclude(body="").first()
    return {"page": page}
