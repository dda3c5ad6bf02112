"""Import and export of RCPs and their activity (django-import-export).

An RCP is found by its slug, a meeting held by its RCP's slug and its date.
A centre's editor imports and exports only the RCPs their centres organise
(centres/resources.py says how a row out of reach rejects the whole file).
The admin's older CSV import of activity (services.import_activity_csv, with
its column aliases) stays for the files regional networks export.
"""

from django.utils.translation import gettext as _
from import_export.widgets import IntegerWidget

from centres.models import Axis, Centre
from centres.resources import ScopedResource, field
from core.spreadsheets import (
    FrenchBooleanWidget,
    FrenchDateWidget,
    FrenchTimeWidget,
    KeysWidget,
    KeyWidget,
)

from .models import Rcp, RcpActivity


class RcpResource(ScopedResource):
    """RCPs by slug, with their organising centre's slug and their axes' slugs."""

    network_only_fields = ("is_demo",)

    slug = field("slug", "identifiant")
    name = field("name", "nom")
    organiser = field("organiser", "centre organisateur", KeyWidget(Centre, "slug"))
    axes = field("axes", "axes", KeysWidget(Axis, "slug"), m2m_add=False)
    scope = field("scope", "portée")
    rrule = field("rrule", "règle de récurrence (RRULE)")
    first_date = field("first_date", "première séance", FrenchDateWidget())
    start_time = field("start_time", "heure de début", FrenchTimeWidget())
    duration_minutes = field("duration_minutes", "durée (minutes)", IntegerWidget())
    timezone = field("timezone", "fuseau horaire")
    meets_on_holidays = field(
        "meets_on_holidays", "se tient les jours fériés", FrenchBooleanWidget()
    )
    deadline_days_before = field(
        "deadline_days_before", "date limite : jours avant", IntegerWidget()
    )
    deadline_time = field("deadline_time", "date limite : heure", FrenchTimeWidget())
    deadline_skips_weekend = field(
        "deadline_skips_weekend", "date limite hors week-end", FrenchBooleanWidget()
    )
    mode = field("mode", "modalité")
    place = field("place", "lieu")
    video_url = field("video_url", "lien de visioconférence")
    video_url_is_public = field("video_url_is_public", "lien public", FrenchBooleanWidget())
    secretariat_phone = field("secretariat_phone", "téléphone du secrétariat")
    secretariat_email = field("secretariat_email", "courriel du secrétariat")
    is_published = field("is_published", "publiée", FrenchBooleanWidget())
    is_demo = field("is_demo", "démonstration", FrenchBooleanWidget())
    last_reviewed = field("last_reviewed", "dernière relecture", FrenchDateWidget())

    class Meta(ScopedResource.Meta):
        model = Rcp
        fields = (
            "slug",
            "name",
            "organiser",
            "axes",
            "scope",
            "rrule",
            "first_date",
            "start_time",
            "duration_minutes",
            "timezone",
            "meets_on_holidays",
            "deadline_days_before",
            "deadline_time",
            "deadline_skips_weekend",
            "mode",
            "place",
            "video_url",
            "video_url_is_public",
            "secretariat_phone",
            "secretariat_email",
            "is_published",
            "is_demo",
            "last_reviewed",
        )
        import_id_fields = ("slug",)

    def get_queryset(self):
        return Rcp.objects.select_related("organiser").prefetch_related("axes")

    def centres_of(self, instance):
        return {instance.organiser_id}


class RcpActivityResource(ScopedResource):
    """Meetings held, by RCP slug and date: one line per meeting."""

    rcp = field("rcp", "RCP", KeyWidget(Rcp, "slug"))
    date = field("date", "date", FrenchDateWidget())
    files_discussed = field("files_discussed", "dossiers discutés", IntegerWidget())
    first_presentations = field("first_presentations", "premières présentations", IntegerWidget())
    doctors_present = field("doctors_present", "médecins présents", IntegerWidget())
    specialties_present = field("specialties_present", "spécialités représentées", IntegerWidget())
    centres_represented = field("centres_represented", "centres représentés", IntegerWidget())
    specialties = field("specialties", "spécialités présentes (codes)")

    class Meta(ScopedResource.Meta):
        model = RcpActivity
        fields = (
            "rcp",
            "date",
            "files_discussed",
            "first_presentations",
            "doctors_present",
            "specialties_present",
            "centres_represented",
            "specialties",
        )
        import_id_fields = ("rcp", "date")

    def get_queryset(self):
        return RcpActivity.objects.select_related("rcp")

    def centres_of(self, instance):
        if instance.rcp_id is None:
            return set()
        return {Rcp.objects.values_list("organiser_id", flat=True).get(pk=instance.rcp_id)}

    def row_label(self, instance):
        return _("la RCP « %(rcp)s »") % {"rcp": instance.rcp.slug if instance.rcp_id else ""}

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.source = RcpActivity.Source.IMPORT
