"""What search engines and link previews read: robots.txt, the canonical URL."""

from django.http import HttpResponse
from django.urls import reverse

DISALLOWED = ["/admin/", "/api/docs/", "/recherche/"]


def robots(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def canonical(request):
    """Context processor: the page's canonical URL, without its query string
    (filters and pages of a listing are the same page for a search engine)."""
    return {"canonical_url": request.build_absolute_uri(request.path)}
