"""The back-office of the network's centres, axes, services, people and roles.

Every class uses CentreScopedAdminMixin (admin_scoping.py): a centre's
coordinators keep their own centre's content; the pilot centre runs it all.
Models with a history (Axis, Centre, Person, Role) use SimpleHistoryAdmin.
"""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from centres.admin_history import TrashAdminMixin, VersionedAdminMixin
from core.history import deleted_with

from .admin_import import ScopedImportExportMixin
from .admin_review import VerifiedButtonAdminMixin
from .admin_scoping import (
    CentreListFilter,
    CentreScopedAdminMixin,
    editable_centre_ids,
    editable_people,
    is_network_manager,
)
from .models import Axis, Centre, CentreAxis, Department, Person, Region, Role, Service
from .resources import CentreResource, PersonResource, RoleResource

# Roles a centre's coordinators manage; national and axis coordination are
# appointed by the network and stay with the pilot centre.
CENTRE_ROLE_KINDS = frozenset(
    {
        Role.Kind.CENTRE_REFERENT,
        Role.Kind.RCP_COORDINATOR,
        Role.Kind.SECRETARY,
        Role.Kind.RESEARCH_CONTACT,
        Role.Kind.NURSE_COORDINATOR,
    }
)


def _directory_url(**params) -> str:
    key, value = next(iter(params.items()))
    return f"{reverse('centres:directory')}?{key}={value}"


def _published_centre_url(centre) -> str | None:
    if centre is None or not centre.is_published:
        return None
    return centre.get_absolute_url()


# --- Shared action -------------------------------------------------------------


@admin.action(description=_("Marquer comme relues aujourd’hui"), permissions=["change"])
def mark_reviewed(modeladmin, request, queryset):
    """Set last_reviewed to today on the selected rows the user may change, one
    save each so that each change is in the row's history (a bulk update
    would skip it, and the public pages' cache with it)."""
    today = timezone.localdate()
    label = str(queryset.model._meta.get_field("last_reviewed").verbose_name)
    count = 0
    for obj in modeladmin.changeable(request, queryset):
        obj.last_reviewed = today
        obj._change_reason = "Relecture"
        obj.save(update_fields=["last_reviewed"])  # « modifié le » keeps its date
        modeladmin.log_change(request, obj, [{"changed": {"fields": [label]}}])
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d fiche marquée comme relue aujourd’hui.",
            "%(count)d fiches marquées comme relues aujourd’hui.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


# --- Roles ------------------------------------------------------------------


class RoleScopeMixin(CentreScopedAdminMixin):
    """Roles at the user's centres, of the kinds a centre manages itself.

    Shared by RoleAdmin and the role inlines: coordinators neither see nor
    grant national or axis coordination, and every role they create belongs
    to one of their centres.
    """

    centre_lookup = "centre"

    def scope_to_centres(self, request, queryset):
        queryset = super().scope_to_centres(request, queryset)
        if is_network_manager(request):
            return queryset
        return queryset.filter(kind__in=CENTRE_ROLE_KINDS)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind" and not is_network_manager(request):
            kwargs["choices"] = [("", "---------")] + [
                (value, label) for value, label in Role.Kind.choices if value in CENTRE_ROLE_KINDS
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "centre" and field is not None and not is_network_manager(request):
            field.required = True
        return field


class RoleFormSet(BaseInlineFormSet):
    """The role inlines' rows: a person holds a role once.

    An inline form leaves the parent's key (the person or the centre) out of
    its constraint checks, so role_unique is checked here, between the rows
    sent together and against the stored roles the rows do not stand for.
    """

    def clean(self):
        super().clean()
        unique = next(c for c in Role._meta.constraints if c.name == "role_unique")
        sent = [form.instance.pk for form in self.forms if form.instance.pk]
        seen = set()
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty extra row
            role = form.instance
            key = (role.person_id, role.kind, role.centre_id, role.axis_id)
            duplicate = key in seen
            seen.add(key)
            if not duplicate and form.has_changed() and self.instance.pk is not None:
                stored = Role.objects.filter(
                    person_id=role.person_id,
                    kind=role.kind,
                    centre_id=role.centre_id,
                    axis_id=role.axis_id,
                )
                duplicate = stored.exclude(pk__in=sent).exists()
            if duplicate:
                form.add_error(None, ValidationError(unique.get_violation_error_message()))


class RoleInlineForCentre(RoleScopeMixin, admin.TabularInline):
    model = Role
    formset = RoleFormSet
    fk_name = "centre"
    fields = ("person", "kind", "axis", "label", "order")
    autocomplete_fields = ("person", "axis")
    extra = 0
    verbose_name = _("rôle dans le centre")
    verbose_name_plural = _("rôles dans le centre")


class RoleInlineForPerson(RoleScopeMixin, admin.TabularInline):
    model = Role
    formset = RoleFormSet
    fk_name = "person"
    fields = ("kind", "centre", "axis", "label", "order")
    autocomplete_fields = ("centre", "axis")
    extra = 0

    def get_min_num(self, request, obj=None, **kwargs):
        # A coordinator adds a person together with their role at the centre:
        # without one, the new person would be out of the coordinator's reach.
        if obj is None and not is_network_manager(request):
            return 1
        return super().get_min_num(request, obj, **kwargs)


@admin.register(Role)
class RoleAdmin(RoleScopeMixin, ScopedImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RoleResource]
    list_display = ("person", "kind", "centre", "axis", "label", "order")
    list_filter = ("kind", "axis", ("centre", CentreListFilter))
    search_fields = (
        "person__first_name",
        "person__last_name",
        "centre__name",
        "centre__short_name",
        "label",
    )
    list_select_related = ("person", "centre", "axis")
    autocomplete_fields = ("person", "centre", "axis")
    fields = ("person", "kind", "centre", "axis", "label", "order")

    def view_on_site(self, obj):
        return _published_centre_url(obj.centre)


# --- Centres ------------------------------------------------------------------


class CentreAxisInline(CentreScopedAdminMixin, admin.TabularInline):
    model = CentreAxis
    centre_lookup = "centre"
    fields = ("axis", "details", "phone")
    autocomplete_fields = ("axis",)
    extra = 0


class CentreServiceInline(CentreScopedAdminMixin, admin.TabularInline):
    """The services a centre offers (the implicit through model of Centre.services).

    Django would ask for the right to change services themselves (the
    vocabulary) to edit these links; here editing the centre is enough.
    """

    model = Centre.services.through
    centre_lookup = "centre"
    autocomplete_fields = ("service",)
    extra = 0
    verbose_name = _("service spécialisé du centre")
    verbose_name_plural = _("services spécialisés du centre")

    def _centre_editable(self, request, obj):
        centre_admin = self.admin_site._registry[Centre]
        if obj is None:
            return centre_admin.has_add_permission(request)
        return centre_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return self._centre_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._centre_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._centre_editable(request, obj)

    def has_view_permission(self, request, obj=None):
        centre_admin = self.admin_site._registry[Centre]
        return centre_admin.has_view_permission(request, obj) or self._centre_editable(request, obj)


class ReviewFilter(admin.SimpleListFilter):
    title = _("relecture")
    parameter_name = "relecture"

    def lookups(self, request, model_admin):
        return [
            ("jamais", _("Jamais relu")),
            ("ancienne", _("Relu il y a plus d’un an")),
            ("recente", _("Relu dans l’année")),
        ]

    def queryset(self, request, queryset):
        year_ago = timezone.localdate() - timedelta(days=365)
        if self.value() == "jamais":
            return queryset.filter(last_reviewed__isnull=True)
        if self.value() == "ancienne":
            return queryset.filter(last_reviewed__lt=year_ago)
        if self.value() == "recente":
            return queryset.filter(last_reviewed__gte=year_ago)
        return queryset


@admin.register(Centre)
class CentreAdmin(
    TrashAdminMixin,
    VersionedAdminMixin,
    VerifiedButtonAdminMixin,
    CentreScopedAdminMixin,
    ScopedImportExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [CentreResource]
    centre_lookup = "pk"
    network_only_fields = ("kind", "slug", "editors", "is_demo")
    trash_dependents = (("CentreAxis", "centre"), ("Role", "centre"))

    list_display = (
        "name",
        "kind",
        "city",
        "department",
        "axes_list",
        "is_published",
        "demo",
        "last_reviewed",
        "public_link",
    )
    list_display_links = ("name",)
    list_filter = (
        "kind",
        "is_published",
        "is_demo",
        ReviewFilter,
        "axes",
        "services",
        ("department__region", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "short_name", "city", "postcode", "finess", "slug")
    list_select_related = ("department",)
    list_per_page = 50
    autocomplete_fields = ("department",)
    filter_horizontal = ("editors",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("axes_and_services", "photo_preview", "updated_at")
    inlines = (CentreAxisInline, CentreServiceInline, RoleInlineForCentre)
    actions = (mark_reviewed,)
    fieldsets = (
        (_("Identité"), {"fields": ("name", "short_name", "slug", "kind", "finess")}),
        (
            _("Adresse et coordonnées"),
            {
                "fields": (
                    "address",
                    ("postcode", "city"),
                    "department",
                    ("latitude", "longitude"),
                )
            },
        ),
        (_("Contacts"), {"fields": ("phone", "email", "website")}),
        (
            _("Présentation et adressage"),
            {"fields": ("description", "referral", "photo", "photo_preview", "photo_alt")},
        ),
        (
            _("Axes et services"),
            {
                "fields": ("axes_and_services",),
                "description": _(
                    "Les axes (avec leurs précisions et un téléphone dédié) et les services "
                    "spécialisés se modifient dans les tableaux en bas de la page."
                ),
            },
        ),
        (
            _("Publication"),
            {
                "fields": (
                    "is_published",
                    "is_demo",
                    ("last_reviewed", "review_every_months"),
                    "editors",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("axes")

    def get_readonly_fields(self, request, obj=None):
        # Publishing a new centre is the network's decision; its coordinators
        # may take their published centre off the site and back.
        readonly = super().get_readonly_fields(request, obj)
        if not is_network_manager(request) and (obj is None or not obj.is_published):
            readonly = [*readonly, "is_published"] if "is_published" not in readonly else readonly
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "editors":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """The admin fields, plus the directory's accent-blind search (« Pitie »,
        a region, an axis or a service)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = queryset.filter(
                Q(pk__in=found.values("pk")) | Q(pk__in=queryset.search(search_term).values("pk"))
            )
        return found, may_have_duplicates

    def view_on_site(self, obj):
        return _published_centre_url(obj)

    @admin.display(description=_("axes"))
    def axes_list(self, obj):
        return ", ".join(axis.short_name for axis in obj.axes.all()) or "—"

    @admin.display(description=_("Démonstration"), boolean=True, ordering="is_demo")
    def demo(self, obj):
        return obj.is_demo

    @admin.display(description=_("sur le site"))
    def public_link(self, obj):
        url = _published_centre_url(obj)
        if url is None:
            return _("non publié")
        return format_html('<a href="{}">{}</a>', url, _("Voir la page"))

    @admin.display(description=_("axes et services actuels"))
    def axes_and_services(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        axes = ", ".join(link.axis.name for link in obj.axis_links.select_related("axis"))
        services = ", ".join(service.name for service in obj.services.all())
        return format_html(
            "{} : {}<br>{} : {}",
            _("Axes"),
            axes or _("aucun"),
            _("Services"),
            services or _("aucun"),
        )

    @admin.display(description=_("aperçu"))
    def photo_preview(self, obj):
        if obj is None or not obj.photo:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="240">', obj.photo.url, obj.photo_alt or ""
        )


@admin.register(CentreAxis)
class CentreAxisAdmin(VersionedAdminMixin, CentreScopedAdminMixin, SimpleHistoryAdmin):
    centre_lookup = "centre"
    list_display = ("centre", "axis", "phone", "details_excerpt")
    list_filter = ("axis",)
    search_fields = ("centre__name", "centre__short_name", "details")
    list_select_related = ("centre", "axis")
    autocomplete_fields = ("centre", "axis")
    fields = ("centre", "axis", "details", "phone")

    def view_on_site(self, obj):
        return _published_centre_url(obj.centre)

    @admin.display(description=_("précisions"))
    def details_excerpt(self, obj):
        text = obj.details.strip()
        return text if len(text) <= 80 else text[:79] + "…"


# --- People -----------------------------------------------------------------


@admin.register(Person)
class PersonAdmin(
    TrashAdminMixin, CentreScopedAdminMixin, ScopedImportExportMixin, SimpleHistoryAdmin
):
    """Coordinators see the people of their centres (and those they created),
    the only ones they may name in a role; they change only those who work at
    their centres and nowhere else.

    In the « corbeille », likewise, a coordinator sees and restores a deleted
    person only if the roles deleted with them (those that come back with them)
    were all at the coordinator's centres, at least one."""

    resource_classes = [PersonResource]
    trash_dependents = (("Role", "person"),)

    network_only_fields = ("is_demo",)
    list_display = (
        "full_name",
        "specialty",
        "centres_list",
        "email",
        "phone",
        "demo",
        "last_reviewed",
    )
    list_filter = ("roles__kind", "roles__axis", "is_demo", "title")
    search_fields = ("first_name", "last_name", "specialty", "email")
    inlines = (RoleInlineForPerson,)
    actions = (mark_reviewed,)
    fields = (
        ("title", "first_name", "last_name"),
        "specialty",
        ("email", "phone"),
        "photo",
        "is_demo",
        "last_reviewed",
    )

    def viewable(self, request, queryset):
        if is_network_manager(request):
            return queryset
        return queryset.filter(pk__in=editable_people(request).values("pk"))

    def changeable(self, request, queryset):
        if is_network_manager(request):
            return queryset
        ids = editable_centre_ids(request)
        here = Role.objects.filter(person=OuterRef("pk"), centre__in=ids)
        elsewhere = Role.objects.filter(person=OuterRef("pk")).exclude(centre__in=ids)
        return queryset.filter(Exists(here)).exclude(Exists(elsewhere))

    def may_open_trash(self, request) -> bool:
        # A person's centres are read from the role rows deleted with them.
        return self.has_add_permission(request)

    def in_trash_scope(self, request, record) -> bool:
        if is_network_manager(request):
            return True
        roles = deleted_with(Role, "person", record.id, record)
        centres = set(roles.values_list("centre_id", flat=True))
        # A role at no centre (national, axis) is the network's, as in changeable().
        return bool(centres) and centres <= editable_centre_ids(request)

    def get_queryset(self, request):
        # The centres column: published centres, and the user's own unpublished ones.
        shown = Q(centre__is_published=True)
        if not is_network_manager(request):
            shown |= Q(centre__in=editable_centre_ids(request))
        else:
            shown |= Q(centre__isnull=False)
        roles = Role.objects.filter(shown).select_related("centre").order_by("centre__name")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("roles", queryset=roles, to_attr="listed_roles"))
        )

    @admin.display(description=_("nom"), ordering="last_name")
    def full_name(self, obj):
        return str(obj)

    @admin.display(description=_("centres"))
    def centres_list(self, obj):
        names = dict.fromkeys(str(role.centre) for role in obj.listed_roles)
        return ", ".join(names) or "—"

    @admin.display(description=_("Démonstration"), boolean=True, ordering="is_demo")
    def demo(self, obj):
        return obj.is_demo


# --- Reference data -------------------------------------------------------------


@admin.register(Axis)
class AxisAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "short_name",
        "referent_centre",
        "colour",
        "order",
        "centre_count",
        "last_reviewed",
    )
    search_fields = ("name", "short_name", "slug")
    list_select_related = ("referent_centre",)
    autocomplete_fields = ("referent_centre",)
    prepopulated_fields = {"slug": ("name",)}
    actions = (mark_reviewed,)
    fields = (
        ("name", "short_name"),
        "slug",
        "description",
        ("colour", "order"),
        "referent_centre",
        "last_reviewed",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(centre_total=Count("centre_links"))

    @admin.display(description=_("centres"), ordering="centre_total")
    def centre_count(self, obj):
        return obj.centre_total


@admin.register(Service)
class ServiceAdmin(VersionedAdminMixin, CentreScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "order", "centre_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "order")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(centre_total=Count("centres"))

    def view_on_site(self, obj):
        return _directory_url(service=obj.slug)

    @admin.display(description=_("centres"), ordering="centre_total")
    def centre_count(self, obj):
        return obj.centre_total


@admin.register(Region)
class RegionAdmin(VersionedAdminMixin, CentreScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "code", "overseas", "department_count")
    list_filter = ("is_overseas",)
    search_fields = ("name", "code")
    fields = ("name", "code", "slug", "is_overseas")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(department_total=Count("departments"))

    def view_on_site(self, obj):
        return _directory_url(region=obj.slug)

    @admin.display(description=_("outre-mer"), boolean=True, ordering="is_overseas")
    def overseas(self, obj):
        return obj.is_overseas

    @admin.display(description=_("départements"), ordering="department_total")
    def department_count(self, obj):
        return obj.department_total


@admin.register(Department)
class DepartmentAdmin(VersionedAdminMixin, CentreScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "region", "centre_count")
    list_filter = ("region__is_overseas", "region")
    search_fields = ("code", "name", "region__name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("code", "name", "slug", "region")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(centre_total=Count("centres"))

    def view_on_site(self, obj):
        return _directory_url(departement=obj.code)

    @admin.display(description=_("centres"), ordering="centre_total")
    def centre_count(self, obj):
        return obj.centre_total


# --- Login lockouts (django-axes) ------------------------------------------------


class PilotLockoutMixin(CentreScopedAdminMixin):
    """django-axes' pages for the pilot centre's staff, not only superusers: a
    locked-out coordinator is told to call the pilot centre (admin/lockout.html),
    which must be able to see the lockout and lift it (delete the attempt).
    The scoping mixin brings its guards against hostile list filters and keys."""

    centre_lookup = None

    def has_module_permission(self, request):
        return is_network_manager(request)

    def has_view_permission(self, request, obj=None):
        return is_network_manager(request)

    def has_delete_permission(self, request, obj=None):
        return is_network_manager(request) and self.model is AccessAttempt

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if not admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN = False
        continue
    _axes_admin = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_axes_admin.__name__, (PilotLockoutMixin, _axes_admin), {}))
