"""The back-office of trials, their sites, and the facility aliases.

Scoping follows centres/admin_scoping.py: the pilot centre's staff (« Pilotage
du réseau ») run every trial; a centre's coordinators see the trials open at
their centres and keep their own centres' sites, never another centre's.

Registry-owned fields of an imported trial are read-only here: the next import
would overwrite them, and a page must show the registry's status. Staff write
the patient-facing fields (French title and summary, key eligibility, axes,
setting), which imports never touch.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from centres.admin_history import TrashAdminMixin, VersionedAdminMixin
from centres.admin_import import ScopedImportExportMixin
from centres.admin_scoping import (
    CentreListFilter,
    CentreScopedAdminMixin,
    editable_centre_ids,
    is_network_manager,
)
from centres.models import Centre
from core import geo
from core.text import normalise

from . import matching, services
from .models import (
    FacilityAlias,
    GlossaryTerm,
    Trial,
    TrialSite,
    UnmatchedSite,
    normalise_city,
)
from .resources import TrialResource

# What ClinicalTrials.gov owns on an imported trial (read-only in the admin).
REGISTRY_FIELDS = (
    "brief_title",
    "official_title",
    "acronym",
    "nct_number",
    "eu_ct_number",
    "eudract_number",
    "org_study_id",
    "study_type",
    "phase",
    "status",
    "conditions",
    "keywords",
    "interventions",
    "sponsor",
    "sponsor_type",
    "coordinator",
    "registry_summary",
    "eligibility_criteria",
    "sex",
    "min_age",
    "max_age",
    "enrollment",
    "contact_name",
    "contact_phone",
    "contact_email",
    "start_date",
    "primary_completion_date",
    "registry_updated",
    "source",
)
REGISTRY_SITE_FIELDS = (
    "trial",
    "facility_name",
    "facility_city",
    "facility_postcode",
    "facility_country",
    "status",
    "investigator",
    "contact_name",
    "contact_phone",
    "contact_email",
    "source",
)
MATCH_CANDIDATES = 8
# What a centre's coordinators never read on a trial: the registry changes the
# pilot centre reviews (an internal note).
NETWORK_ONLY_TRIAL_FIELDS = ("review_note",)


def site_trials(request):
    """The trials the user may open a site on: every trial for network managers;
    for a centre's coordinators, published trials and those with a site at one
    of their centres (never another centre's draft)."""
    if is_network_manager(request):
        return Trial.objects.all()
    own = TrialSite.objects.filter(centre__in=editable_centre_ids(request)).values("trial_id")
    return Trial.objects.filter(Q(is_published=True) | Q(pk__in=own))


class TrialSiteInlineForm(forms.ModelForm):
    """A registry row's fields are ClinicalTrials.gov's, as in TrialSiteAdmin: shown
    but disabled (the posted values are ignored); only its centre can be changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.source == TrialSite.Source.REGISTRY:
            for name in REGISTRY_SITE_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True


class TrialSiteInline(CentreScopedAdminMixin, admin.TabularInline):
    model = TrialSite
    form = TrialSiteInlineForm
    centre_lookup = "centre"
    extra = 0
    fields = (
        "centre",
        "facility_name",
        "facility_city",
        "status",
        "investigator",
        "contact_name",
        "contact_phone",
        "contact_email",
        "source",
        "centre_confirmed",
        "dropped_on",
    )
    readonly_fields = ("source", "centre_confirmed", "dropped_on")
    autocomplete_fields = ("centre",)
    show_change_link = True


class StatusCheckFilter(admin.SimpleListFilter):
    """Registry trials whose status is too old to be shown as current (the rule of
    TrialQuerySet.status_checked): the ones to read again with --refresh."""

    title = _("statut vérifié auprès du registre")
    parameter_name = "statut_verifie"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui (ou saisi par l’équipe)")), ("non", _("Non, à relire"))]

    def queryset(self, request, queryset):
        checked = Trial.objects.status_checked().values("pk")
        if self.value() == "oui":
            return queryset.filter(pk__in=checked)
        if self.value() == "non":
            return queryset.exclude(pk__in=checked)
        return queryset


@admin.register(Trial)
class TrialAdmin(
    TrashAdminMixin,
    VersionedAdminMixin,
    CentreScopedAdminMixin,
    ScopedImportExportMixin,
    SimpleHistoryAdmin,
):
    centre_lookup = "sites__centre"
    # Shared by its centres: its « corbeille » is the network managers'.
    trash_dependents = (("TrialSite", "trial"),)
    resource_classes = [TrialResource]
    list_display = (
        "title",
        "acronym",
        "nct_number",
        "status",
        "phase",
        "setting",
        "axes_list",
        "is_published",
        "needs_review",
        "registry_updated",
        "is_demo",
    )
    list_display_links = ("title",)
    list_filter = (
        "needs_review",
        StatusCheckFilter,
        "is_published",
        "axes",
        "status",
        "phase",
        "setting",
        ("sites__centre", CentreListFilter),
        "source",
        "sponsor_type",
        "is_demo",
    )
    search_fields = (
        "plain_title",
        "brief_title",
        "acronym",
        "nct_number",
        "eu_ct_number",
        "eudract_number",
        "org_study_id",
    )
    list_per_page = 50
    inlines = (TrialSiteInline,)
    actions = ("mark_reviewed", "publish", "unpublish")
    readonly_fields = ("last_imported_at", "status_changed_at", "updated_at", "public_link")
    fieldsets = (
        (
            _("Pour les patients (rédigé par l’équipe, jamais modifié par un import)"),
            {
                "fields": (
                    "plain_title",
                    "plain_summary",
                    "key_eligibility",
                    "axes",
                    "setting",
                )
            },
        ),
        (
            _("Publication et relecture"),
            {
                "fields": (
                    "is_published",
                    "public_link",
                    "needs_review",
                    "review_note",
                    "last_reviewed",
                    "is_demo",
                )
            },
        ),
        (
            _("Registre : identification"),
            {
                "fields": (
                    "nct_number",
                    "eu_ct_number",
                    "eudract_number",
                    "org_study_id",
                    "brief_title",
                    "official_title",
                    "acronym",
                    ("study_type", "phase", "status"),
                    ("sponsor", "sponsor_type"),
                    "coordinator",
                )
            },
        ),
        (
            _("Registre : contenu"),
            {
                "classes": ("collapse",),
                "fields": (
                    "conditions",
                    "keywords",
                    "interventions",
                    "registry_summary",
                    "eligibility_criteria",
                    ("sex", "min_age", "max_age"),
                    "enrollment",
                ),
            },
        ),
        (
            _("Contact central et dates"),
            {
                "fields": (
                    ("contact_name", "contact_phone", "contact_email"),
                    ("start_date", "primary_completion_date", "registry_updated"),
                )
            },
        ),
        (
            _("Source"),
            {"fields": ("source", "last_imported_at", "status_changed_at", "updated_at")},
        ),
    )

    def viewable(self, request, queryset):
        """Coordinators see the trials with a site at one of their centres."""
        if is_network_manager(request):
            return queryset
        sites = TrialSite.objects.filter(centre__in=editable_centre_ids(request))
        return queryset.filter(pk__in=sites.values("trial_id"))

    def changeable(self, request, queryset):
        """A trial is shared by its centres: only the network's managers change it."""
        return queryset if is_network_manager(request) else queryset.none()

    def has_add_permission(self, request):
        return is_network_manager(request) and super().has_add_permission(request)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("axes")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_network_manager(request):
            return fieldsets
        return [
            (name, {**options, "fields": _without(options["fields"], NETWORK_ONLY_TRIAL_FIELDS)})
            for name, options in fieldsets
        ]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history's « changes » column, without the network-only fields for
        a centre's coordinators (as django-simple-history computes it)."""
        if is_network_manager(request):
            super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
            return
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=NETWORK_ONLY_TRIAL_FIELDS,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def save_model(self, request, obj, form, change):
        if not change or "status" in form.changed_data:
            obj.status_changed_at = timezone.now()  # the searches' Atom feeds show it
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is TrialSite:
            for site_form in formset.forms:
                if site_form.instance.pk and "centre" in site_form.changed_data:
                    remember_centre(request, site_form.instance)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "axes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.source == Trial.Source.REGISTRY:
            readonly += [f for f in REGISTRY_FIELDS if f not in readonly]
        return readonly

    def get_search_results(self, request, queryset, search_term):
        """The admin fields, plus the finder's accent-blind search (titles, conditions...)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = queryset.filter(
                Q(pk__in=found.values("pk")) | Q(pk__in=queryset.search(search_term).values("pk"))
            )
        return found, may_have_duplicates

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description=_("titre"), ordering="plain_title")
    def title(self, obj):
        return obj.display_title

    @admin.display(description=_("axes"))
    def axes_list(self, obj):
        return ", ".join(axis.short_name for axis in obj.axes.all())

    @admin.display(description=_("page publique"))
    def public_link(self, obj):
        if obj.pk and obj.is_published:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Voir la page"))
        return _("Non publiée")

    @admin.action(description=_("Marquer comme relus (changements du registre vus)"))
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()
        trials = list(self.changeable(request, queryset))
        for trial in trials:  # save() one by one: each change goes to the history
            trial.needs_review = False
            trial.review_note = ""
            trial.last_reviewed = today
            trial.save()
        self.message_user(
            request,
            ngettext("%d essai marqué comme relu.", "%d essais marqués comme relus.", len(trials))
            % len(trials),
            messages.SUCCESS,
        )

    @admin.action(description=_("Publier"))
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Retirer du site public"))
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value: bool):
        trials = [t for t in self.changeable(request, queryset) if t.is_published != value]
        for trial in trials:
            trial.is_published = value
            trial.save()
        self.message_user(
            request,
            ngettext("%d essai modifié.", "%d essais modifiés.", len(trials)) % len(trials),
            messages.SUCCESS,
        )


@admin.register(TrialSite)
class TrialSiteAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    """A centre's coordinators keep their own centre's sites (manual ones in full;
    for registry ones, only the centre they are matched to)."""

    centre_lookup = "centre"
    # A coordinator's site is their own data: only an import writes registry rows.
    network_only_fields = ("source",)
    list_display = (
        "trial",
        "place",
        "status",
        "investigator",
        "contact_name",
        "source",
        "centre_confirmed",
        "dropped_on",
    )
    list_filter = (
        "status",
        "source",
        "centre_confirmed",
        ("centre", CentreListFilter),
    )
    readonly_fields = ("centre_confirmed", "dropped_on")
    search_fields = (
        "trial__plain_title",
        "trial__brief_title",
        "trial__acronym",
        "trial__nct_number",
        "centre__name",
        "facility_name",
        "facility_city",
    )
    list_select_related = ("trial", "centre")
    autocomplete_fields = ("trial", "centre")
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.source == TrialSite.Source.REGISTRY:
            readonly += [f for f in REGISTRY_SITE_FIELDS if f not in readonly]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "trial" and "queryset" not in kwargs:
            kwargs["queryset"] = site_trials(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "centre" in form.changed_data:
            remember_centre(request, obj)

    @admin.display(description=_("lieu"))
    def place(self, obj):
        return obj.place_label


@admin.register(UnmatchedSite)
class UnmatchedSiteAdmin(CentreScopedAdminMixin, admin.ModelAdmin):
    """Registry sites in France that match no centre: say which centre each is,
    in one click; the answer is kept as an alias for the next imports."""

    centre_lookup = "centre"  # unmatched sites have none: network managers only
    list_display = (
        "facility_name",
        "facility_city",
        "facility_postcode",
        "facility_country",
        "trial",
        "match_link",
    )
    list_filter = ("facility_country",)
    search_fields = ("facility_name", "facility_city", "facility_postcode", "trial__nct_number")
    list_select_related = ("trial",)
    list_per_page = 50
    fields = ("trial", "facility_name", "facility_city", "facility_postcode", "facility_country")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(centre__isnull=True, centre_confirmed=False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return is_network_manager(request) and super().has_change_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/rapprocher/",
                self.admin_site.admin_view(self.match_view),
                name="trials_unmatchedsite_match",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("centre du réseau"))
    def match_link(self, obj):
        url = reverse("admin:trials_unmatchedsite_match", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Choisir le centre"))

    def match_view(self, request, pk):
        """Candidates for one unmatched site; a POST with a centre links it (and its alias)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        site = self.get_queryset(request).select_related("trial").filter(pk=pk).first()
        if site is None:
            raise Http404
        if request.method == "POST":
            if request.POST.get("hors_reseau"):
                decided = services.link_facility(site=site, centre=None)
                self.message_user(
                    request,
                    ngettext(
                        "« %(facility)s » est noté hors du réseau : %(n)d lieu ; "
                        "les prochains imports ne le proposeront plus.",
                        "« %(facility)s » est noté hors du réseau : %(n)d lieux ; "
                        "les prochains imports ne le proposeront plus.",
                        decided,
                    )
                    % {"facility": site.facility_name, "n": decided},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:trials_unmatchedsite_changelist"))
            centre = Centre.objects.filter(pk=_int_or_none(request.POST.get("centre"))).first()
            if centre is None:
                messages.error(request, _("Choisissez un centre dans la liste."))
                return HttpResponseRedirect(request.path)
            linked = services.link_facility(site=site, centre=centre)
            self.message_user(
                request,
                ngettext(
                    "« %(facility)s » est désormais %(centre)s : %(n)d lieu rattaché ; "
                    "les prochains imports le reconnaîtront.",
                    "« %(facility)s » est désormais %(centre)s : %(n)d lieux rattachés ; "
                    "les prochains imports le reconnaîtront.",
                    linked,
                )
                % {"facility": site.facility_name, "centre": centre, "n": linked},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:trials_unmatchedsite_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Rapprocher un lieu d’un centre du réseau"),
            "site": site,
            "candidates": _candidates(site),
            "centres": Centre.objects.order_by("name").only("pk", "name", "short_name", "city"),
            "same_facility": TrialSite.objects.unmatched()
            .filter(registry_key=site.registry_key)
            .exclude(pk=site.pk)
            .count()
            if site.registry_key
            else 0,
        }
        return render(request, "trials/admin/match_site.html", context)


def _without(fields, names) -> tuple:
    """A fieldset's fields without ``names`` (in rows of several fields too)."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            row = tuple(f for f in field if f not in names)
            if row:
                kept.append(row)
        elif field not in names:
            kept.append(field)
    return tuple(kept)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _candidates(site: TrialSite) -> list[tuple[Centre, float | None, float]]:
    """Centres likely to be this facility: (centre, km, matcher score), best score
    first (trials.matching), then same city, shared words and distance."""
    centres = list(Centre.objects.all())
    city = normalise_city(site.facility_city)
    words = set(normalise(site.facility_name).split()) - {"de", "du", "la", "le", "des", "d"}
    place = geo.lookup(site.facility_postcode or site.facility_city).location
    facility = matching.Facility(
        name=site.facility_name,
        city=site.facility_city,
        postcode=site.facility_postcode,
        country=site.facility_country,
    )
    scores = matching.best_match(
        facility,
        [
            matching.CentreNames(
                c.pk, [c.name, c.short_name], c.city, c.postcode, c.latitude, c.longitude
            )
            for c in centres
        ],
    ).scores

    def rank(centre):
        same_city = city and normalise_city(centre.city) == city
        shared = len(words & set(normalise(f"{centre.name} {centre.short_name}").split()))
        km = (
            geo.distance_km(place.latitude, place.longitude, centre.latitude, centre.longitude)
            if place
            else None
        )
        score = scores.get(centre.pk, 0.0)
        return (-score, not same_city, -shared, km if km is not None else 1e9), km, score

    ranked = sorted(((rank(c), c) for c in centres), key=lambda item: item[0][0])
    return [(centre, km, score) for (_key, km, score), centre in ranked[:MATCH_CANDIDATES]]


def remember_centre(request, site: TrialSite) -> None:
    """Staff set the centre of a registry site in a form: the next imports keep it.
    The network's managers decide for every trial naming the facility (an alias);
    a centre's coordinators only for this site."""
    if site.source != TrialSite.Source.REGISTRY or not site.facility_name:
        return
    if is_network_manager(request):
        services.link_facility(site=site, centre=site.centre)
    elif not site.centre_confirmed:
        site.centre_confirmed = True
        site.save(update_fields=["centre_confirmed"])


@admin.register(FacilityAlias)
class FacilityAliasAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    centre_lookup = "centre"
    list_display = ("facility_name", "facility_city", "centre_or_outside", "created_at")
    search_fields = ("facility_name", "facility_city", "centre__name", "centre__short_name")
    list_select_related = ("centre",)
    autocomplete_fields = ("centre",)
    fields = ("facility_name", "facility_city", "centre")

    @admin.display(description=_("centre du réseau"), ordering="centre__name")
    def centre_or_outside(self, obj):
        return obj.centre or _("Hors du réseau")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    """The French the public pages show for a registry term (network managers: the
    coordinators' group has no permission on it)."""

    centre_lookup = None  # reference data

    list_display = ("english", "french", "kind")
    list_filter = ("kind",)
    search_fields = ("english", "french")
    fields = ("english", "french", "kind")
