"""The Atom feed of the news (/actualites/flux.atom)."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from core import markdown

from .models import NewsItem

FEED_SIZE = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = "PAN-TOGETHER — actualités"
    subtitle = "Les actualités du réseau national des cancers digestifs de mauvais pronostic."

    def link(self):
        return reverse("content:news")

    def items(self):
        return NewsItem.objects.published()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Sanitised HTML (core.markdown): the summary, then the text.
        return markdown.render(item.summary + "\n\n" + item.body)

    def item_pubdate(self, item):
        return datetime.combine(
            item.published_on, time(8, 0), tzinfo=timezone.get_current_timezone()
        )

    def item_updateddate(self, item):
        return item.updated_at
