"""Template filters of the portal."""

from django import template
from django.utils.safestring import mark_safe

from core import markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown typed in the admin as sanitised HTML."""
    return mark_safe(markdown.render(text))  # noqa: S308 - sanitised by nh3
