"""sitemap.xml: every public page, with the last change of what it shows."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from centres.models import Centre
from content.models import Document, NewsItem, Page
from rcp.models import Rcp
from trials.models import Trial

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
    ("contact", None),
    ("content:news", NewsItem),
    ("content:documents", Document),
    ("opendata:index", None),
]


class StaticPages(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [name for name, _model in STATIC_PAGES]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        model = dict(STATIC_PAGES)[item]
        if model is None:
            return None
        if not hasattr(self, "_dates"):
            self._dates = {}
        if model not in self._dates:
            self._dates[model] = model.objects.published().aggregate(last=Max("updated_at"))["last"]
        return self._dates[model]


class ModelPages(Sitemap):
    """The published rows of one model, dated by their last change."""

    model = None
    changefreq = "weekly"
    # What the URL and the date need: not the long texts (a trial's criteria).
    fields = ("pk", "slug", "updated_at")

    def items(self):
        return self.model.objects.published().only(*self.fields).order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class CentrePages(ModelPages):
    model = Centre


class RcpPages(ModelPages):
    model = Rcp
    changefreq = "daily"  # the next sessions move on


class TrialPages(ModelPages):
    model = Trial
    fields = ("pk", "updated_at")


class NewsPages(ModelPages):
    model = NewsItem


class EditablePages(ModelPages):
    """About, glossary, patients, doctors, legal, privacy, accessibility."""

    model = Page


SITEMAPS = {
    "pages": StaticPages,
    "contenus": EditablePages,
    "centres": CentrePages,
    "rcp": RcpPages,
    "essais": TrialPages,
    "actualites": NewsPages,
}
