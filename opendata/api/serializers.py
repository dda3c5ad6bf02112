"""What the API publishes, field by field: an allowlist per model.

Nothing here reads a field that is not listed: editors' accounts, the
published flags, review notes, search copies, registry keys and private
video links never leave the database through the API
(tests/opendata/test_api_privacy.py checks every key of every answer).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from centres.models import Axis, Centre, Department, Person, Region, Role, Service
from rcp.models import Rcp
from rcp.schedule import next_session, upcoming
from trials.models import Trial, TrialSite

UPCOMING_IN_LIST = 3
UPCOMING_IN_DETAIL = 10


def absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.DATETIME)
class LocalDateTimeField(serializers.Field):
    """An aware datetime written as is (ISO 8601 with its own offset): an RCP
    in La Réunion meets at 14:00+04:00, not at its Paris equivalent."""

    def to_representation(self, value):
        return value.isoformat()


class LinkMixin(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="Page publique (URL absolue).")

    def get_url(self, obj) -> str:
        return absolute(self.context, obj.get_absolute_url())


# --- Reference data ---------------------------------------------------------------


class AxisSerializer(serializers.ModelSerializer):
    referent_centre = serializers.SerializerMethodField(
        help_text="Identifiant (slug) du centre référent, s’il est publié."
    )

    class Meta:
        model = Axis
        fields = ["slug", "name", "short_name", "description", "colour", "order", "referent_centre"]

    def get_referent_centre(self, obj) -> str | None:
        centre = obj.referent_centre
        return centre.slug if centre is not None and centre.is_published else None


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "slug", "is_overseas"]


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "slug", "region"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["slug", "name"]


# --- Centres -----------------------------------------------------------------------


class CentreAxisSerializer(serializers.Serializer):
    axis = serializers.CharField(source="axis.slug", help_text="Identifiant (slug) de l’axe.")
    details = serializers.CharField(help_text="Précisions (Markdown).")
    phone = serializers.CharField(help_text="Téléphone dédié à l’axe (vide sinon).")


class CentreSerializer(LinkMixin, serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", help_text="Code du département.")
    region = serializers.CharField(source="department.region.code", help_text="Code INSEE.")
    axes = CentreAxisSerializer(source="axis_links", many=True)
    services = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    photo = serializers.SerializerMethodField()
    feed = serializers.SerializerMethodField(help_text="Agenda iCalendar des RCP du centre.")
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Distance au lieu demandé (`pres_de`), sinon null."
    )

    class Meta:
        model = Centre
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "finess",
            "address",
            "postcode",
            "city",
            "department",
            "region",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "description",
            "referral",
            "axes",
            "services",
            "photo",
            "photo_alt",
            "is_demo",
            "last_reviewed",
            "updated_at",
            "url",
            "feed",
            "distance_km",
        ]

    def get_photo(self, obj) -> str | None:
        return absolute(self.context, obj.photo.url) if obj.photo else None

    def get_feed(self, obj) -> str:
        return absolute(self.context, reverse("rcp:feed_centre", kwargs={"slug": obj.slug}))


# --- People --------------------------------------------------------------------------


class RoleSerializer(serializers.ModelSerializer):
    centre = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    axis = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Role
        fields = ["kind", "centre", "axis", "label"]


class PersonSerializer(serializers.ModelSerializer):
    roles = RoleSerializer(source="public_roles", many=True)
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="Dernière modification de la fiche (historique)."
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "title",
            "first_name",
            "last_name",
            "specialty",
            "email",
            "phone",
            "roles",
            "is_demo",
            "last_reviewed",
            "updated_at",
        ]


class PersonRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")

    class Meta:
        model = Person
        fields = ["id", "name", "specialty"]


# --- RCP -------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$", "example": "14:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the RCP's own zone (`timezone`), without offset:
    JSON Schema's "time" format would require one."""


class OccurrenceSerializer(serializers.Serializer):
    original_date = serializers.DateField(help_text="Date prévue par la règle (clé stable).")
    start = LocalDateTimeField(help_text="Début, heure locale de la RCP avec son décalage.")
    end = LocalDateTimeField()
    deadline = LocalDateTimeField(help_text="Date limite d’envoi des dossiers.")
    status = serializers.ChoiceField(
        choices=["scheduled", "cancelled", "moved", "holiday"],
        help_text="scheduled, cancelled (annulée), moved (déplacée) ou holiday (jour férié).",
    )
    note = serializers.CharField()


def occurrence_data(occurrence) -> dict:
    """What OccurrenceSerializer writes, built directly: a serializer instance
    per meeting deep-copies its fields, and a page of 50 RCPs lists 200 meetings."""
    return {
        "original_date": occurrence.original_date.isoformat(),
        "start": occurrence.start.isoformat(),
        "end": occurrence.end.isoformat(),
        "deadline": occurrence.deadline.isoformat(),
        "status": occurrence.status,
        "note": str(occurrence.note),
    }


class NextSessionSerializer(serializers.Serializer):
    meeting = OccurrenceSerializer(help_text="Prochaine séance qui a lieu.")
    reachable = OccurrenceSerializer(
        allow_null=True,
        help_text="Première séance qu’un dossier envoyé maintenant peut encore atteindre.",
    )
    closed = serializers.BooleanField(help_text="Vrai si les dossiers sont clos pour `meeting`.")


class RcpSerializer(LinkMixin, serializers.ModelSerializer):
    axes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organiser = serializers.CharField(source="organiser.slug", help_text="Centre organisateur.")
    participants = serializers.SerializerMethodField(help_text="Centres participants publiés.")
    video_url = serializers.SerializerMethodField(
        help_text="Lien de visioconférence, seulement s’il est rendu public (sinon null)."
    )
    coordinator = PersonRefSerializer(allow_null=True)
    secretary = PersonRefSerializer(allow_null=True)
    start_time = LocalTimeField(help_text="Heure de début, heure locale (`timezone`).")
    deadline_time = LocalTimeField(help_text="Heure limite d’envoi, heure locale.")
    holiday_calendar = serializers.CharField(
        help_text="Jours fériés suivis (territoire du centre organisateur)."
    )
    next_session = serializers.SerializerMethodField()
    upcoming = serializers.SerializerMethodField(
        help_text="Prochaines séances, annulées comprises."
    )
    case_form = serializers.SerializerMethodField(help_text="Fiche de présentation du dossier.")
    feed = serializers.SerializerMethodField(help_text="Agenda iCalendar de la RCP.")
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Distance du centre organisateur au lieu demandé, sinon null."
    )

    class Meta:
        model = Rcp
        fields = [
            "slug",
            "name",
            "scope",
            "mode",
            "axes",
            "organiser",
            "participants",
            "description",
            "place",
            "video_url",
            "submission",
            "rrule",
            "first_date",
            "start_time",
            "duration_minutes",
            "timezone",
            "deadline_days_before",
            "deadline_time",
            "deadline_skips_weekend",
            "meets_on_holidays",
            "holiday_calendar",
            "coordinator",
            "secretary",
            "secretariat_phone",
            "secretariat_email",
            "secretariat_mssante",
            "next_session",
            "upcoming",
            "case_form",
            "feed",
            "is_demo",
            "last_reviewed",
            "updated_at",
            "url",
            "distance_km",
        ]

    def get_participants(self, obj) -> list[str]:
        return [centre.slug for centre in obj.public_participants]

    def get_video_url(self, obj) -> str | None:
        return obj.video_url if obj.video_link_is_shown else None

    @extend_schema_field(NextSessionSerializer(allow_null=True))
    def get_next_session(self, obj):
        found = next_session(obj, now=self.context["now"])
        if found is None:
            return None
        return {  # as NextSessionSerializer writes it (the schema's)
            "meeting": occurrence_data(found.meeting),
            "reachable": occurrence_data(found.reachable) if found.reachable else None,
            "closed": found.closed,
        }

    @extend_schema_field(OccurrenceSerializer(many=True))
    def get_upcoming(self, obj):
        limit = self.context.get("upcoming", UPCOMING_IN_LIST)
        return [occurrence_data(o) for o in upcoming(obj, now=self.context["now"], limit=limit)]

    def get_case_form(self, obj) -> str | None:
        if not obj.case_form_file():
            return None
        return absolute(self.context, reverse("rcp:case_form", kwargs={"slug": obj.slug}))

    def get_feed(self, obj) -> str:
        return absolute(self.context, reverse("rcp:feed_rcp", kwargs={"slug": obj.slug}))


# --- Trials ------------------------------------------------------------------------------


class TrialSiteSerializer(serializers.ModelSerializer):
    """A trial's site. One matched to an unpublished centre is written as a site
    outside the network by its city only: no centre, no facility name (the
    registry's name is often the centre's), no investigator or contact."""

    centre = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Centre du réseau (null : hors réseau, ou centre non publié).",
    )
    status = serializers.CharField(
        source="effective_status",
        help_text="Statut local, jamais plus ouvert que celui de l’essai.",
    )

    class Meta:
        model = TrialSite
        fields = [
            "centre",
            "facility_name",
            "facility_city",
            "status",
            "investigator",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        extra_kwargs = {
            "facility_name": {
                "help_text": "Établissement selon le registre (vide pour un centre non "
                "publié : le lieu n’est alors donné que par sa commune)."
            }
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        centre = instance.centre
        if centre is not None and not centre.is_published:
            data.update(
                {name: "" for name in self.Meta.fields if name not in ("facility_city", "status")},
                centre=None,
                facility_city=instance.facility_city or centre.city,
            )
        return data


class TrialSerializer(LinkMixin, serializers.ModelSerializer):
    axes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    conditions = serializers.ListField(source="condition_list", child=serializers.CharField())
    interventions = serializers.ListField(source="intervention_list", child=serializers.CharField())
    sites = TrialSiteSerializer(source="public_sites", many=True)
    registry_url = serializers.CharField(source="ctgov_url")
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Distance du site ouvert le plus proche, sinon null."
    )

    class Meta:
        model = Trial
        fields = [
            "id",
            "plain_title",
            "brief_title",
            "official_title",
            "acronym",
            "nct_number",
            "eu_ct_number",
            "eudract_number",
            "study_type",
            "phase",
            "status",
            "setting",
            "axes",
            "conditions",
            "interventions",
            "sponsor",
            "sponsor_type",
            "plain_summary",
            "key_eligibility",
            "sex",
            "min_age",
            "max_age",
            "enrollment",
            "start_date",
            "primary_completion_date",
            "registry_updated",
            "source",
            "last_imported_at",
            "contact_name",
            "contact_phone",
            "contact_email",
            "sites",
            "registry_url",
            "is_demo",
            "last_reviewed",
            "updated_at",
            "url",
            "distance_km",
        ]
