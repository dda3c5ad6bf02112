"""sitemap.xml: every public page, with the last change of what it shows.

`/sitemap.xml` is a sitemap index: one sitemap per section (pages, editable
pages, centres, RCPs, trials, news), each cut into pages of at most
`PAGE_SIZE` URLs (`/sitemap-essais.xml?p=2`), so that no answer grows with the
data (5,000 trials made a 740 KB sitemap that took 1.7 s to render). The
XML is written directly, not through a template (a template costs about a
quarter of a millisecond per URL), and the detail URLs are built from one
`reverse()` per section, not one per row.
"""

import math
from datetime import datetime
from xml.sax.saxutils import escape

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

from centres.models import Centre
from content.models import Document, NewsItem, Page
from rcp.models import Rcp
from trials.models import Trial

PAGE_SIZE = 1000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# A value no slug or primary key of a real row takes, replaced in the URL built once.
PLACEHOLDER = "0000000000"

# Pages whose content is the site's code (or many rows): (route name, model
# whose latest change dates them, if any).
STATIC_PAGES = [
    ("home", Centre),
    ("centres:directory", Centre),
    ("centres:map", Centre),
    ("rcp:directory", Rcp),
    ("rcp:calendar", Rcp),
    ("rcp:guide", None),
    ("rcp:indicators", None),
    ("trials:finder", Trial),
    ("content:news", NewsItem),
    ("content:documents", Document),
    ("opendata:index", None),
]


def _last_change(model):
    return model.objects.published().aggregate(last=Max("updated_at"))["last"]


def _count_and_last_change(queryset) -> tuple[int, object]:
    found = queryset.aggregate(count=Count("pk"), last=Max("updated_at"))
    return found["count"], found["last"]


class StaticPages:
    changefreq = "weekly"

    def count(self) -> int:
        return len(STATIC_PAGES)

    def count_and_last_change(self):
        return len(STATIC_PAGES), None

    def entries(self, offset: int, limit: int):
        """(path, last change or None): one aggregate per model dating the pages."""
        dates = {}
        for name, model in STATIC_PAGES[offset : offset + limit]:
            if model is not None and model not in dates:
                dates[model] = _last_change(model)
            yield reverse(name), dates.get(model)


class ModelPages:
    """The published rows of one model, dated by their last change."""

    model = None
    route = ""  # the detail page's route, reversed once with PLACEHOLDER
    key = "slug"
    changefreq = "weekly"

    def queryset(self):
        return self.model.objects.published()

    def count(self) -> int:
        return self.queryset().count()

    def count_and_last_change(self):
        return _count_and_last_change(self.queryset())

    def entries(self, offset: int, limit: int):
        # Only what the URL and the date need: not the long texts (a trial's criteria).
        # The day in the site's zone comes from the database (cheaper than
        # converting a thousand datetimes here).
        day = TruncDate("updated_at", tzinfo=timezone.get_current_timezone())
        rows = self.queryset().order_by("pk").values_list(self.key, day)[offset : offset + limit]
        path = reverse(self.route, kwargs={self.key: PLACEHOLDER})
        for key, updated_at in rows:
            yield path.replace(PLACEHOLDER, str(key)), updated_at


class CentrePages(ModelPages):
    model = Centre
    route = "centres:detail"


class RcpPages(ModelPages):
    model = Rcp
    route = "rcp:detail"
    changefreq = "daily"  # the next sessions move on


class TrialPages(ModelPages):
    model = Trial
    route = "trials:detail"
    key = "pk"


class NewsPages(ModelPages):
    model = NewsItem
    route = "content:news_detail"


class EditablePages(ModelPages):
    """About, glossary, patients, doctors, legal, privacy, accessibility."""

    model = Page

    def entries(self, offset: int, limit: int):
        for page in self.queryset().only("slug", "updated_at")[offset : offset + limit]:
            yield page.get_absolute_url(), page.updated_at


SITEMAPS = {
    "pages": StaticPages,
    "contenus": EditablePages,
    "centres": CentrePages,
    "rcp": RcpPages,
    "essais": TrialPages,
    "actualites": NewsPages,
}


def _day(moment) -> str:
    """A datetime's day in the site's zone, or a day as is."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.isoformat()


def _xml(root: str, body: list[str]) -> HttpResponse:
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{XMLNS}">\n'
    response = HttpResponse(
        text + "".join(body) + f"</{root}>\n", content_type="application/xml; charset=utf-8"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def index(request):
    """The sitemap index: each section's pages, dated by their latest change
    (one aggregate per section, whatever the data)."""
    base = f"{request.scheme}://{request.get_host()}"
    body = []
    for name, section_class in SITEMAPS.items():
        section = section_class()
        count, last = section.count_and_last_change()
        pages = max(1, math.ceil(count / PAGE_SIZE))
        lastmod = f"<lastmod>{_day(last)}</lastmod>" if last else ""
        path = reverse("sitemap_section", kwargs={"section": name})
        for number in range(1, pages + 1):
            location = escape(f"{base}{path}" + (f"?p={number}" if number > 1 else ""))
            body.append(f"<sitemap><loc>{location}</loc>{lastmod}</sitemap>\n")
    return _xml("sitemapindex", body)


def section(request, section):
    """One page of one section's URLs (`?p=`, 1 by default): at most PAGE_SIZE."""
    if section not in SITEMAPS:
        raise Http404("section inconnue")
    number = request.GET.get("p", "1")
    # At most 5 digits: int() of thousands of digits raises (Python's digit limit).
    if not (number.isascii() and number.isdigit() and len(number) <= 5) or not (
        1 <= int(number) <= 10_000
    ):
        raise Http404("page inconnue")
    sitemap = SITEMAPS[section]()
    offset = (int(number) - 1) * PAGE_SIZE
    if offset and offset >= sitemap.count():
        raise Http404("page vide")
    base = f"{request.scheme}://{request.get_host()}"
    changefreq = f"<changefreq>{sitemap.changefreq}</changefreq>"
    body = []
    for path, last in sitemap.entries(offset, PAGE_SIZE):
        lastmod = f"<lastmod>{_day(last)}</lastmod>" if last else ""
        body.append(f"<url><loc>{escape(base + path)}</loc>{lastmod}{changefreq}</url>\n")
    return _xml("urlset", body)
