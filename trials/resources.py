"""Import and export of clinical trials (django-import-export).

A trial is found by its NCT number, or its EU CT number when it has none.
Only the network's managers import trials (a trial is shared by its centres);
a centre's editor exports the trials open at their centres.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.widgets import IntegerWidget

from centres.models import Axis
from centres.resources import ScopedResource, field
from core.spreadsheets import FrenchBooleanWidget, FrenchDateWidget, KeysWidget
from core.text import typo

from .models import Trial


class TrialResource(ScopedResource):
    """Trials by registry number; their axes by slug."""

    nct_number = field("nct_number", "numéro NCT")
    eu_ct_number = field("eu_ct_number", "numéro EU CT")
    eudract_number = field("eudract_number", "numéro EudraCT")
    acronym = field("acronym", "acronyme")
    plain_title = field("plain_title", "titre en langage courant")
    brief_title = field("brief_title", "titre court du registre")
    axes = field("axes", "axes", KeysWidget(Axis, "slug"))
    setting = field("setting", "situation")
    study_type = field("study_type", "type d’étude")
    phase = field("phase", "phase")
    status = field("status", "statut")
    sponsor = field("sponsor", "promoteur")
    sponsor_type = field("sponsor_type", "type de promoteur")
    sex = field("sex", "sexe")
    min_age = field("min_age", "âge minimum", IntegerWidget())
    max_age = field("max_age", "âge maximum", IntegerWidget())
    enrollment = field("enrollment", "nombre de participants", IntegerWidget())
    coordinator = field("coordinator", "investigateur coordonnateur")
    contact_name = field("contact_name", "contact : nom")
    contact_phone = field("contact_phone", "contact : téléphone")
    contact_email = field("contact_email", "contact : courriel")
    start_date = field("start_date", "début", FrenchDateWidget())
    primary_completion_date = field(
        "primary_completion_date", "fin prévue du recueil principal", FrenchDateWidget()
    )
    is_published = field("is_published", "publié", FrenchBooleanWidget())
    is_demo = field("is_demo", "démonstration", FrenchBooleanWidget())
    last_reviewed = field("last_reviewed", "dernière relecture", FrenchDateWidget())

    class Meta(ScopedResource.Meta):
        model = Trial
        fields = (
            "nct_number",
            "eu_ct_number",
            "eudract_number",
            "acronym",
            "plain_title",
            "brief_title",
            "axes",
            "setting",
            "study_type",
            "phase",
            "status",
            "sponsor",
            "sponsor_type",
            "sex",
            "min_age",
            "max_age",
            "enrollment",
            "coordinator",
            "contact_name",
            "contact_phone",
            "contact_email",
            "start_date",
            "primary_completion_date",
            "is_published",
            "is_demo",
            "last_reviewed",
        )
        import_id_fields = ("nct_number",)

    def get_queryset(self):
        return Trial.objects.prefetch_related("axes")

    def get_instance(self, instance_loader, row):
        nct = str(row.get("numéro NCT") or "").strip()
        if nct:
            return Trial.objects.filter(nct_number=nct).first()
        eu_ct = str(row.get("numéro EU CT") or "").strip()
        if eu_ct:
            return Trial.objects.filter(eu_ct_number=eu_ct).first()
        raise ValueError(typo(_("ni numéro NCT ni numéro EU CT : la ligne ne désigne aucun essai")))

    def in_scope(self, instance):
        return False  # network managers only (the admin refuses the import to others)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        stored = Trial.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if instance.pk is None or stored != instance.status:
            instance.status_changed_at = timezone.now()  # the searches' Atom feeds show it
