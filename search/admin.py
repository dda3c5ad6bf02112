"""What visitors searched for in vain, for the network's staff (read only)."""

from django.contrib import admin

from centres.admin_scoping import CentreScopedAdminMixin

from .models import MissedSearch


@admin.register(MissedSearch)
class MissedSearchAdmin(CentreScopedAdminMixin, admin.ModelAdmin):
    centre_lookup = None
    list_display = ["words", "count", "first_seen", "last_seen"]
    search_fields = ["words"]
    date_hierarchy = "last_seen"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
