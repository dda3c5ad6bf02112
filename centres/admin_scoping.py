"""Least privilege in the admin: who may see and change which rows.

Two groups (created by the migration ``0003_admin_groups``):

- « Pilotage du réseau » (the pilot centre's staff) and superusers run the
  whole network: every row, every field.
- « Coordination de centre »: the staff of one or more centres, listed in
  ``Centre.editors``. They see and change only what belongs to those centres
  (the centre itself, its axes, its roles, its people, its RCPs, its trial
  sites; they change only the people working there and nowhere else),
  never the fields that define the network (type, slug, editors,
  demonstration flag), and view the reference data (axes, services, regions,
  departments) without changing it.

Model permissions (from the groups) say *what kind* of rows a user may touch;
this module says *which* rows. Filtering ``get_queryset`` alone is not enough:
foreign-key choices, autocomplete answers, history pages, revert, bulk
actions and permission checks on one object each read rows their own way, so
``CentreScopedAdminMixin`` restricts every one of them. Every admin class of a
model that belongs to a centre (or points to one) uses it, in this app and in
the others (``rcp``, ``trials``): set ``centre_lookup`` to the ORM path from
the model to its centre.

What a form offers is what its user may use, and nothing else answers for it:
the autocomplete endpoint returns exactly the choices of the form field it
fills (``autocomplete_choices``), a person is offered only to the coordinators
of the centres where they work (``editable_people``), the changelist's centre
filter lists the user's centres (``CentreListFilter``), and Django's « voir sur
le site » shortcut answers only for rows the user may change (``view_on_site``,
routed in pantogether/urls.py). A photo replaced, cleared or deleted through
the admin leaves the public media once the change is committed: it moves to
the retired directory, which nothing serves, and comes back when a revert or a
restore from the « corbeille » names it again (core/retired_media.py).

Saving a page without changing it changes nothing. A choice the user may not
make is not offered, so a browser never sends it back: the form keeps those
values (an RCP's other participating centres) and says so under the field.
A save that changes nothing writes nothing: no row, no history record, no
new « modifié le », no « Aucun champ n’a été modifié » in the admin's log.
"""

import copy
from datetime import MAXYEAR, MINYEAR

from django.apps import apps
from django.contrib.admin import RelatedOnlyFieldListFilter, helpers
from django.contrib.admin.options import IncorrectLookupParameters, InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    FieldDoesNotExist,
    FieldError,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseBadRequest

from core.retired_media import move_after_commit

from .admin_forms import keeping_unchosen_values
from .models import Centre, Person, Role

NETWORK_GROUP = "Pilotage du réseau"
CENTRE_GROUP = "Coordination de centre"

# Longest search term worth running (a longer one is refused, not sent to the database).
MAX_SEARCH_LENGTH = 200

# Changelist filters: lookups whose value is checked against the field, lookups
# any text suits, and the date hierarchy's parts with the range Django can turn
# into dates (it also computes the next year, month or day). Any other lookup
# (regex, week_day...) is refused: a bad value for it fails in the database.
CHECKED_LOOKUPS = frozenset({"exact", "iexact", "gt", "gte", "lt", "lte", "in", "range"})
FREE_LOOKUPS = frozenset(
    {"isnull", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"}
)
DATE_PARTS = {"year": (MINYEAR, MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}

_MANAGER_CACHE = "_pantogether_is_network_manager"
_CENTRES_CACHE = "_pantogether_editable_centre_ids"
_NOT_SAVED = "_pantogether_not_saved"  # set on an object whose save wrote nothing


def is_network_manager(request) -> bool:
    """True for superusers and members of « Pilotage du réseau» (cached per request)."""
    cached = getattr(request, _MANAGER_CACHE, None)
    if cached is None:
        user = request.user
        cached = user.is_active and (
            user.is_superuser or user.groups.filter(name=NETWORK_GROUP).exists()
        )
        setattr(request, _MANAGER_CACHE, cached)
    return cached


def editable_centre_ids(request) -> frozenset[int]:
    """Primary keys of the centres the user edits (``Centre.editors``), cached per request."""
    cached = getattr(request, _CENTRES_CACHE, None)
    if cached is None:
        if not request.user.is_active:
            cached = frozenset()
        else:
            cached = frozenset(
                Centre.objects.filter(editors=request.user).values_list("pk", flat=True)
            )
        setattr(request, _CENTRES_CACHE, cached)
    return cached


def editable_centres(request):
    """The centres the user may pick in a form: all for network managers."""
    if is_network_manager(request):
        return Centre.objects.all()
    return Centre.objects.filter(pk__in=editable_centre_ids(request))


def editable_people(request):
    """The people the user may name in a form (a role, an RCP's members): all for
    network managers; else the people of their centres (a role there) and the
    people they created themselves (history), so that a role never ties another
    centre's staff member to theirs."""
    if is_network_manager(request):
        return Person.objects.all()
    at_their_centres = Role.objects.filter(centre__in=editable_centre_ids(request))
    created = Person.history.filter(history_type="+", history_user_id=request.user.pk)
    return Person.objects.filter(
        Q(pk__in=at_their_centres.values("person_id")) | Q(pk__in=created.values("id"))
    )


class CentreListFilter(RelatedOnlyFieldListFilter):
    """A changelist filter on a centre: the centres of the listed rows, and for a
    centre's coordinators only their own (a trial they see may be open elsewhere)."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if is_network_manager(request):
            return choices
        ids = editable_centre_ids(request)
        return [(pk, label) for pk, label in choices if pk in ids]


def _source_admin(admin_site, model):
    """The admin class whose form has a field of ``model``: its own, or an inline's."""
    model_admin = admin_site._registry.get(model)
    if model_admin is not None:
        return model_admin
    for parent_admin in admin_site._registry.values():
        for inline_class in parent_admin.inlines:
            if inline_class.model is model:
                return inline_class(parent_admin.model, admin_site)
    return None


def autocomplete_choices(request, admin_site):
    """For the admin's autocomplete endpoint: the choices of the form field it
    fills, as that field's form offers them to this user (None elsewhere).

    The endpoint would answer from the remote model's list (what the user may
    see); the answer must be what the form accepts, no more (a draft trial, a
    person of another centre) and no less (a published trial to open a site on).
    """
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        db_field = model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, FieldDoesNotExist):
        return None
    source_admin = _source_admin(admin_site, model)
    if source_admin is None or not db_field.is_relation:
        return None
    formfield = source_admin.formfield_for_dbfield(db_field, request)
    return getattr(formfield, "queryset", None)


def view_on_site(admin_site):
    """Django's « voir sur le site » shortcut (/admin/r/<type>/<id>/), for the
    objects the user may change only: anything else is a 404, so that staff of
    one centre cannot learn another centre's unpublished addresses."""

    def shortcut(request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = admin_site._registry.get(model)
        if model_admin is None:
            raise Http404
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_change_permission(request, obj):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    return shortcut


def _is_multivalued(model, lookup: str) -> bool:
    """Whether the ORM path crosses a one-to-many or many-to-many relation."""
    for name in lookup.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False


def _stored_as_is(obj) -> bool:
    """Whether the row stored for ``obj`` already holds every value it has
    (« modifié le » aside, which any save would change)."""
    fields = [f for f in obj._meta.concrete_fields if not getattr(f, "auto_now", False)]
    stored = (
        type(obj)._base_manager.filter(pk=obj.pk).values_list(*(f.attname for f in fields)).first()
    )
    if stored is None:
        return False
    return all(getattr(obj, f.attname) == value for f, value in zip(fields, stored, strict=True))


def _filter_value_fits(queryset, lookup: str, value: str) -> bool:
    """Whether ``queryset.filter(**{lookup: value})`` can run without a database error.

    Django's admin checks that a filter names a field, not that its value fits
    it: "1,abc" or 10**23 in an id list (OverflowError with SQLite), a range
    with one bound, an unbalanced regex or a year past 9998 reached the query,
    a 500. A name that is no field (a SimpleListFilter's) is left to Django.
    """
    names = lookup.split(LOOKUP_SEP)
    try:
        # The field compared, as the ORM finds it: a relation's target key, an
        # annotation's output field ("pk" included); the rest are lookups.
        _path, _field, targets, lookups = queryset.query.names_to_path(names, queryset.model._meta)
    except FieldError:
        return True
    field = targets[-1]
    if len(lookups) > 1:  # a transform and a lookup ("date__year__gt")
        return False
    name = lookups[0] if lookups else "exact"
    if name in FREE_LOOKUPS:
        return True
    if name in DATE_PARTS:
        low, high = DATE_PARTS[name]
        return isinstance(field, models.DateField) and (
            len(value) <= 4 and value.isascii() and value.isdigit() and low <= int(value) <= high
        )
    if name not in CHECKED_LOOKUPS:
        return False
    values = value.split(",") if name in ("in", "range") else [value]
    if name == "range" and len(values) != 2:
        return False
    try:
        for one in values:
            field.run_validators(field.to_python(one))  # integer range included
    except ValidationError:
        return False
    return True


class CentreScopedAdminMixin:
    """Restrict a ModelAdmin or an inline to the rows of the user's centres.

    ``centre_lookup`` is the ORM path from the model to the centre that owns a
    row: ``"pk"`` for Centre itself, ``"centre"`` for a role. ``None`` marks
    reference data, which every coordinator may read (what they may do with it
    is left to model permissions). Override ``viewable`` or ``changeable`` for
    other rules (a person may be viewed by every coordinator, changed only by
    those of the centres where they work).

    ``network_only_fields`` are read-only for centre coordinators. Foreign keys
    and many-to-many fields to Centre only offer the user's centres, whatever
    the model; the stored values they cannot offer are kept (see
    admin_forms.py). Inlines check their parent's row: a coordinator edits the
    inline rows of a centre they may change, and sees only the rows in scope.
    A save that changes nothing writes nothing.
    """

    centre_lookup: str | None = None
    network_only_fields: tuple[str, ...] = ()

    # --- Which rows ------------------------------------------------------

    def scope_to_centres(self, request, queryset):
        """Rows belonging to the user's centres (all rows for network managers)."""
        if is_network_manager(request) or self.centre_lookup is None:
            return queryset
        condition = {f"{self.centre_lookup}__in": editable_centre_ids(request)}
        if _is_multivalued(queryset.model, self.centre_lookup):
            # Through a many relation (a trial's sites): a subquery, no duplicate rows.
            model = queryset.model
            return queryset.filter(pk__in=model._default_manager.filter(**condition).values("pk"))
        return queryset.filter(**condition)

    def viewable(self, request, queryset):
        """The rows the user may see (list, change page, history, autocomplete)."""
        return self.scope_to_centres(request, queryset)

    def changeable(self, request, queryset):
        """The rows the user may change or delete, within model permissions."""
        return self.scope_to_centres(request, queryset)

    def in_reach(self, request, queryset):
        """The rows this request may read: the viewable ones, or for the
        autocomplete endpoint exactly the choices of the form field it fills."""
        choices = autocomplete_choices(request, self.admin_site)
        if choices is not None and choices.model is queryset.model:
            return queryset.filter(pk__in=choices.values("pk"))
        return self.viewable(request, queryset)

    def get_queryset(self, request):
        return self.in_reach(request, super().get_queryset(request))

    def _row_in(self, request, obj, rows) -> bool:
        if is_network_manager(request):
            return True
        if obj.pk is None:  # an unsaved object: its fields are checked by the form
            return True
        model = type(obj)
        return rows(request, model._default_manager.filter(pk=obj.pk)).exists()

    def _parent_allows(self, request, obj, action: str) -> bool:
        """For an inline, ``obj`` is the parent: check it through the parent's admin."""
        parent_admin = self.admin_site._registry.get(type(obj))
        if parent_admin is None:
            return True
        check = getattr(parent_admin, f"has_{action}_permission")
        return check(request, obj)

    # --- Permissions on one object -----------------------------------------

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        if obj is None:
            return True
        if isinstance(self, InlineModelAdmin):
            return self._parent_allows(request, obj, "view")
        return self._row_in(request, obj, self.viewable)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if isinstance(self, InlineModelAdmin):
            return self._parent_allows(request, obj, "change")
        return self._row_in(request, obj, self.changeable)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        if isinstance(self, InlineModelAdmin):
            return self._parent_allows(request, obj, "change")
        return self._row_in(request, obj, self.changeable)

    # --- Fields ----------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_network_manager(request):
            readonly += [f for f in self.network_only_fields if f not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            field: sources
            for field, sources in super().get_prepopulated_fields(request, obj).items()
            if field not in readonly
        }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Django 6 default, asked for now (a bare "chu-brest.fr" gets https://).
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return keeping_unchosen_values(super().get_form(request, obj, change, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        """An inline's formset (InlineModelAdmin only): its forms keep values too."""
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = keeping_unchosen_values(formset.form)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            if db_field.related_model is Centre:
                kwargs["queryset"] = editable_centres(request)
            elif db_field.related_model is Person:
                kwargs["queryset"] = editable_people(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            if db_field.related_model is Centre:
                kwargs["queryset"] = editable_centres(request)
            elif db_field.related_model is Person:
                kwargs["queryset"] = editable_people(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- Saving ----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing changed in the form and the row is as stored: nothing written
        (no history record, « modifié le » keeps its date). Its inlines are
        saved on their own. A revert is written: its form is unchanged, but
        its row is an old version."""
        if change and not form.has_changed() and _stored_as_is(obj):
            setattr(obj, _NOT_SAVED, True)
            return
        stored = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if stored is not None:
            # A replaced or cleared photo leaves public storage; a revert's
            # photo comes back from retirement.
            move_after_commit(stored, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        move_after_commit(obj, None)

    def delete_queryset(self, request, queryset):
        """Bulk deletion (« supprimer les objets sélectionnés »): the rows the user
        may change only, whatever keys the POST carries."""
        objs = list(self.changeable(request, queryset))
        queryset = queryset.filter(pk__in=[obj.pk for obj in objs])
        super().delete_queryset(request, queryset)
        for obj in objs:
            move_after_commit(obj, None)

    def log_change(self, request, obj, message):
        """No « Aucun champ n’a été modifié » entry for a save that wrote nothing."""
        if not message and getattr(obj, _NOT_SAVED, False):
            return None
        return super().log_change(request, obj, message)

    # --- Search and autocomplete -------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        """Refuse terms the database would choke on; never widen the scope.

        The autocomplete endpoint calls this with the remote model's
        ``get_queryset``, already scoped; the intersection with ``viewable``
        keeps it so if a subclass searches another queryset.
        """
        if "\x00" in search_term or len(search_term) > MAX_SEARCH_LENGTH:
            raise SuspiciousOperation("Search term refused.")
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not queryset.ordered:
            # A count column (an aggregate) drops Meta.ordering, and the
            # autocomplete pages its answer: without an order, pages may
            # repeat or skip rows (Django warns). The changelist orders its own.
            queryset = queryset.order_by(*self.model._meta.ordering, "pk")
        return self.in_reach(request, queryset), may_have_duplicates

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL refuses NUL in text: a filter value carrying one would be a 500.
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest("Paramètre refusé.")
        # Django filters the selected rows without checking the keys (a 500 on "abc",
        # or on 10**30 with SQLite).
        if request.method == "POST":
            try:
                pk = self.model._meta.pk
                for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                    pk.run_validators(pk.to_python(value))  # integer range included
            except ValidationError:
                return HttpResponseBadRequest("Sélection refusée.")
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        # A filter value its field cannot hold is, as Django calls it, a wacky
        # lookup: the list shows again, unfiltered (a redirect to "?e=1").
        queryset = self.get_queryset(request)
        for key, values in request.GET.lists():
            if key in IGNORED_PARAMS or key in (PAGE_VAR, ERROR_FLAG):
                continue
            if not all(_filter_value_fits(queryset, key, value) for value in values):
                raise IncorrectLookupParameters(f"Filter refused: {key}")
        return super().get_changelist_instance(request)

    # --- One object's pages ---------------------------------------------------

    def _require_valid_key(self, value, field=None) -> None:
        """A key the primary key cannot hold ("abc", 10**23) is a 404, before any query.

        Django's own views turn such a key into "not found", but
        django-simple-history's history pages look it up as given: a ValueError,
        a 500. Values come unquoted (the admin writes "_" escapes in URLs).
        """
        field = field or self.model._meta.pk
        try:
            field.run_validators(field.to_python(value))  # integer range included
        except ValidationError:
            raise Http404 from None

    def _require_viewable(self, request, object_id) -> None:
        """A row out of the user's reach is a 404 (Django would redirect to the
        index with "perhaps it was deleted", for rows that do not exist)."""
        if is_network_manager(request) or object_id is None:
            return
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_valid_key(unquote(object_id))
        self._require_viewable(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_valid_key(unquote(object_id))
        self._require_viewable(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    # --- History (django-simple-history) -------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """The history of a row the user may see; a deleted row's, for managers only.

        SimpleHistoryAdmin falls back to the last historical record when the
        row is not in ``get_queryset``: that would show a coordinator the
        history of any centre. Here such a row is a 404.
        """
        self._require_valid_key(unquote(object_id))
        if not is_network_manager(request):
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_view_permission(request, obj):
                raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version of a row the user may see; reverting is for managers.

        Reverting saves every field of the old version, the network-only ones
        included (a coordinator could bring back an old type or slug), so it
        stays with the network managers.
        """
        self._require_valid_key(unquote(object_id))
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        self._require_valid_key(version_id, history.model._meta.pk)
        obj = self.get_object(request, unquote(object_id))
        if not is_network_manager(request):
            if obj is None or not self.has_view_permission(request, obj):
                raise Http404
            if request.method == "POST":
                raise PermissionDenied
        # SimpleHistoryAdmin reads `prepopulated_fields` as is: drop the fields
        # missing from this user's form (read-only ones), or the page fails.
        view = copy.copy(self)
        in_form = self.get_form(request, obj).base_fields if obj is not None else {}
        view.prepopulated_fields = {
            field: sources
            for field, sources in self.prepopulated_fields.items()
            if field in in_form
        }
        return super(CentreScopedAdminMixin, view).history_form_view(
            request, object_id, version_id, extra_context
        )

    def revert_disabled(self, request, obj=None):
        if not is_network_manager(request):
            return True
        return super().revert_disabled(request, obj)
