"""Import and export of centres, people and roles (django-import-export), and the
scoping every resource of the network shares (rcp and trials use it too).

Rows are found by their natural key (a centre by its slug, or its FINESS
number; a person by e-mail, or by name when they have none), never by the
database id, so that a file travels between environments. Column headers are
French. A row the file leaves as stored is skipped: exporting then importing
a file changes nothing.

A centre's editor imports only rows of their own centres: a row of another
centre (as stored or as the file would make it), a network-only value changed
or a new row they may not add rejects the whole file, with its line number.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.spreadsheets import FrenchBooleanWidget, FrenchDateWidget, KeyWidget, PlainDiff
from core.text import typo

from .models import Axis, Centre, Department, Person, Role

# Roles the network appoints: never imported by a centre's editor.
NETWORK_ROLE_KINDS = frozenset({Role.Kind.NATIONAL_COORDINATOR, Role.Kind.AXIS_COORDINATOR})


@dataclass(frozen=True)
class ImportScope:
    """What one user may import: ``centre_ids`` None for the network's managers."""

    centre_ids: frozenset[int] | None = None
    can_add: bool = True
    people_ids: frozenset[int] | None = None  # whom an editor may name in a role

    @property
    def is_network(self) -> bool:
        return self.centre_ids is None


def field(attribute, column, widget=None, **kwargs) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget, **kwargs)


def file_line(kwargs) -> int:
    """The row's line in the file: the header is line 1."""
    return kwargs.get("row_number", 0) + 1


class ScopedResource(resources.ModelResource):
    """A model resource limited to the centres of the user who imports.

    Subclasses say which centres a row belongs to (``centres_of``) and which
    columns only the network's managers may change (``network_only_fields``).
    """

    network_only_fields: tuple[str, ...] = ()
    # One request checks the file, another writes it: at about 5 ms a row
    # (measured: 2,000 rows in 9 s), a longer file would outlast the server's
    # 30-second timeout. Larger files are split.
    max_rows = 5000

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, scope: ImportScope | None = None, **kwargs):
        super().__init__(**kwargs)
        self.scope = scope or ImportScope()
        # A column declared without a widget gets the one its model field calls
        # for (a number is read as a number, a text as text).
        for f in self.fields.values():
            if type(f.widget) is widgets.Widget:
                model_field = self._meta.model._meta.get_field(f.attribute)
                widget_class = self.widget_from_django_field(model_field)
                f.widget = widget_class(**self.widget_kwargs_for_field(f.attribute, model_field))

    def import_data(self, dataset, *args, **kwargs):
        """The whole file, or nothing: a file past ``max_rows`` is not even read."""
        if len(dataset) > self.max_rows:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            message = _(
                "Le fichier compte %(rows)d lignes : %(max)d au plus par fichier. "
                "Découpez-le en plusieurs fichiers."
            ) % {"rows": len(dataset), "max": self.max_rows}
            result.append_base_error(self.get_error_result_class()(ValueError(typo(message))))
            return result
        return super().import_data(dataset, *args, **kwargs)

    def get_diff_class(self):
        return PlainDiff

    def centres_of(self, instance) -> set[int | None]:
        raise NotImplementedError

    def get_instance(self, instance_loader, row):
        """The stored row the file's key names; an unknown related key (a centre's
        slug) finds none, and the column's error says why."""
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def in_scope(self, instance) -> bool:
        centres = self.centres_of(instance)
        return bool(centres) and centres <= self.scope.centre_ids

    def row_label(self, instance) -> str:
        """How an error names the row (quoted)."""
        return f"« {instance} »"

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values, then check them against the user's scope."""
        line = file_line(kwargs)
        errors = {}
        stored = None
        if not self.scope.is_network:
            if instance.pk is None and not self.scope.can_add:
                raise self.refused(line, _("vous ne pouvez pas créer de nouvelle fiche ici"))
            if instance.pk is not None:
                stored = type(instance)._base_manager.get(pk=instance.pk)
                if not self.in_scope(stored):
                    raise self.refused(
                        line,
                        _("%(row)s ne relève pas de vos centres") % {"row": self.row_label(stored)},
                    )
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.check_many_to_many(row, errors)
        if not self.scope.is_network and not errors:
            if not self.in_scope(instance):
                raise self.refused(
                    line,
                    _("%(row)s ne relève pas de vos centres") % {"row": self.row_label(instance)},
                )
            for name in self.network_only_fields:
                before = getattr(stored, name) if stored else instance._meta.get_field(name).default
                if getattr(instance, name) != before:
                    column = self.fields[name].column_name
                    raise self.refused(
                        line,
                        _("la colonne « %(column)s » est réservée au pilotage du réseau")
                        % {"column": column},
                    )
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = "Import"  # the row's history says where it came from

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A value a column cannot hold: a French message (the library's are English)."""
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError:
            if type(field.widget).__module__ in ("core.spreadsheets", __name__):
                raise  # our widgets' messages are French already
            expected = (
                _("un nombre")
                if isinstance(field.widget, widgets.NumberWidget)
                else _("une valeur de ce type")
            )
            raise ValueError(
                typo(
                    _("« %(value)s » illisible : %(expected)s est attendu")
                    % {"value": row.get(field.column_name), "expected": expected}
                )
            ) from None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's errors, keyed by the file's column names (French)."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            columns = {f.attribute: f.column_name for f in self.fields.values()}
            errors = {}
            for name, messages in exc.message_dict.items():
                if name == NON_FIELD_ERRORS:
                    key = name
                else:
                    key = columns.get(name, name)
                errors.setdefault(key, []).extend(typo(m) for m in messages)
            raise ValidationError(errors) from None

    def check_many_to_many(self, row, errors) -> None:
        """Unknown keys in a many-to-many column are errors of the row, before saving."""
        for f in self.get_import_fields():
            if f.column_name in row and hasattr(f.widget, "separator"):
                try:
                    f.clean(row)
                except ValueError as exc:
                    errors[f.attribute] = [str(exc)]

    def refused(self, line: int, reason: str) -> ValidationError:
        return ValidationError(
            {
                NON_FIELD_ERRORS: [
                    typo(
                        _(
                            "Ligne %(line)d : %(reason)s ; seules les lignes de vos centres "
                            "peuvent être importées, et rien n’a été enregistré."
                        )
                        % {"line": line, "reason": reason}
                    )
                ]
            }
        )


# --- Centres -------------------------------------------------------------------


class CentreResource(ScopedResource):
    """Centres by slug (or FINESS when the slug column is empty)."""

    network_only_fields = ("kind", "is_demo")

    slug = field("slug", "identifiant")
    finess = field("finess", "FINESS")
    name = field("name", "nom")
    short_name = field("short_name", "nom usuel")
    kind = field("kind", "type")
    address = field("address", "adresse")
    postcode = field("postcode", "code postal")
    city = field("city", "commune")
    department = field("department", "département", KeyWidget(Department, "code"))
    latitude = field("latitude", "latitude")
    longitude = field("longitude", "longitude")
    phone = field("phone", "téléphone")
    email = field("email", "courriel")
    website = field("website", "site web")
    is_published = field("is_published", "publié", FrenchBooleanWidget())
    is_demo = field("is_demo", "démonstration", FrenchBooleanWidget())
    last_reviewed = field("last_reviewed", "dernière relecture", FrenchDateWidget())

    class Meta(ScopedResource.Meta):
        model = Centre
        fields = (
            "slug",
            "finess",
            "name",
            "short_name",
            "kind",
            "address",
            "postcode",
            "city",
            "department",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "is_published",
            "is_demo",
            "last_reviewed",
        )
        import_id_fields = ("slug",)

    def get_instance(self, instance_loader, row):
        slug = str(row.get("identifiant") or "").strip()
        if slug:
            return Centre.objects.filter(slug=slug).first()
        finess = str(row.get("FINESS") or "").strip()
        if finess:
            found = Centre.objects.filter(finess=finess).first()
            if found is not None:
                row["identifiant"] = found.slug  # the slug column is kept as stored
            return found
        return None

    def centres_of(self, instance):
        return {instance.pk}

    def get_queryset(self):
        return Centre.objects.select_related("department")


# --- People --------------------------------------------------------------------


class PersonResource(ScopedResource):
    """People by professional e-mail; by first and last name when they have none."""

    network_only_fields = ("is_demo",)

    email = field("email", "courriel")
    title = field("title", "titre")
    first_name = field("first_name", "prénom")
    last_name = field("last_name", "nom")
    specialty = field("specialty", "spécialité")
    phone = field("phone", "téléphone")
    is_demo = field("is_demo", "démonstration", FrenchBooleanWidget())
    last_reviewed = field("last_reviewed", "dernière relecture", FrenchDateWidget())

    class Meta(ScopedResource.Meta):
        model = Person
        fields = (
            "email",
            "title",
            "first_name",
            "last_name",
            "specialty",
            "phone",
            "is_demo",
            "last_reviewed",
        )
        import_id_fields = ("email",)

    def get_instance(self, instance_loader, row):
        return find_person(
            row.get("courriel"), first_name=row.get("prénom"), last_name=row.get("nom")
        )

    def in_scope(self, instance):
        """An editor changes the people who work at their centres and nowhere else;
        a new person is theirs (they give them a role in the roles file)."""
        if instance.pk is None:
            return True
        centres = set(instance.roles.values_list("centre_id", flat=True))
        return bool(centres) and centres <= self.scope.centre_ids


def find_person(email, *, first_name=None, last_name=None) -> Person | None:
    """The person with this e-mail; without one, the only person of that name
    and no e-mail. Several matches are an error (the row cannot be placed)."""
    email = str(email or "").strip()
    if email:
        found = list(Person.objects.filter(email__iexact=email)[:2])
    else:
        found = list(
            Person.objects.filter(
                email="",
                first_name=str(first_name or "").strip(),
                last_name=str(last_name or "").strip(),
            )[:2]
        )
    if len(found) > 1:
        raise ValueError(
            typo(
                _("plusieurs personnes répondent à « %(key)s » : précisez leur courriel")
                % {"key": email or f"{first_name} {last_name}"}
            )
        )
    return found[0] if found else None


class PersonWidget(KeyWidget):
    """A person in a role: their e-mail, or « Prénom Nom » when they have none."""

    def __init__(self, **kwargs):
        super().__init__(Person, "email", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        if "@" in text:
            found = find_person(text)
        else:
            first, _sep, last = text.partition(" ")
            found = find_person("", first_name=first, last_name=last)
        if found is None:
            raise ValueError(typo(_("aucune personne « %(key)s »") % {"key": text}))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.email or f"{value.first_name} {value.last_name}"


# --- Roles ---------------------------------------------------------------------


class RoleResource(ScopedResource):
    """Roles by their person, kind, centre and axis (what makes a role unique)."""

    person = field("person", "personne", PersonWidget())
    kind = field("kind", "rôle")
    centre = field("centre", "centre", KeyWidget(Centre, "slug"))
    axis = field("axis", "axe", KeyWidget(Axis, "slug"))
    label = field("label", "précision")
    order = field("order", "ordre")

    class Meta(ScopedResource.Meta):
        model = Role
        fields = ("person", "kind", "centre", "axis", "label", "order")
        import_id_fields = ("person", "kind", "centre", "axis")

    def get_queryset(self):
        return Role.objects.select_related("person", "centre", "axis")

    def centres_of(self, instance):
        return {instance.centre_id}

    def in_scope(self, instance):
        if instance.kind in NETWORK_ROLE_KINDS:
            return False
        if self.scope.people_ids is not None and instance.person_id not in self.scope.people_ids:
            return False
        return super().in_scope(instance)
