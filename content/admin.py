"""The back-office of the network's content: news, documents, editable pages.

Network content belongs to no centre (``centre_lookup = None``): the pilot
centre's staff (« Pilotage du réseau ») write it; centre coordinators may
read it (permissions from migration 0002).

News and documents have a « corbeille » (centres/admin_history.py), for the
network managers alone (they alone may add, hence restore). A deleted
document's file stays in the media storage (Django deletes no file with its
row), so it comes back with the row; a news item's image is retired and comes
back like the centres' photos (core/retired_media.py).
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from centres.admin_history import TrashAdminMixin, VersionedAdminMixin
from centres.admin_scoping import CentreScopedAdminMixin

from .models import Document, NewsItem, Page


@admin.register(NewsItem)
class NewsItemAdmin(
    TrashAdminMixin, VersionedAdminMixin, CentreScopedAdminMixin, SimpleHistoryAdmin
):
    centre_lookup = None
    list_display = ["title", "published_on", "is_published", "updated_at"]
    list_filter = ["is_published", "axes"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["axes"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "published_on", "summary", "body"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Classement et publication"), {"fields": ["axes", "is_published", "is_demo"]}),
    ]


@admin.register(Document)
class DocumentAdmin(TrashAdminMixin, CentreScopedAdminMixin, SimpleHistoryAdmin):
    centre_lookup = None
    list_display = ["title", "category", "axis", "published_on", "is_published", "download"]
    list_filter = ["is_published", "category", "axis"]
    list_select_related = ["axis"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "axis", "description"]}),
        (_("Fichier"), {"fields": ["file", "published_on"]}),
        (_("Publication"), {"fields": ["is_published", "is_demo"]}),
    ]

    @admin.display(description=_("fichier"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.file.url, obj.extension.upper())


@admin.register(Page)
class PageAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    centre_lookup = None
    list_display = ["title", "slug", "is_published", "last_reviewed", "updated_at"]
    fields = ["slug", "title", "summary", "body", "is_published", "last_reviewed"]

    def get_readonly_fields(self, request, obj=None):
        # Which page a row is stays fixed once created (the site's URLs name it),
        # and it stays published: every page is linked from the site's menu or
        # footer, and the legal notice and the accessibility statement must be there.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["slug", "is_published"] if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        # Deleting a page would leave its URL without text (a 404 on a legal page).
        return False
