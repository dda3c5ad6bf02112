"""The back-office of RCPs: the RCP with its schedule and exceptions, and activity.

Every class uses CentreScopedAdminMixin (centres/admin_scoping.py): an RCP
belongs to its organising centre, whose coordinators keep it; the pilot
centre runs them all. The schedule is set with a plain-French form for the
common rhythms, or a raw RRULE; the change page shows the next five dates.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from centres.admin_history import TrashAdminMixin, VersionedAdminMixin
from centres.admin_import import ScopedImportExportMixin
from centres.admin_review import VerifiedButtonAdminMixin
from centres.admin_scoping import CentreScopedAdminMixin, editable_centre_ids, is_network_manager
from core.dates import day_name_lazy

from . import recurrence, schedule, services, specialties
from .frenchdates import format_datetime
from .models import AxisCaseGuide, QuorumRule, Rcp, RcpActivity, RcpException, RcpMember
from .resources import RcpActivityResource, RcpResource
from .schedule import upcoming
from .specialties import Specialty

WEEKDAY_CHOICES = [(code, day_name_lazy(i)) for i, code in enumerate(recurrence.WEEKDAY_CODES)]
RANK_CHOICES = [("1", "1er"), ("2", "2e"), ("3", "3e"), ("4", "4e"), ("-1", "dernier")]
# The form fields that say the rule; the RRULE is rebuilt from them when one changes.
RHYTHM_FIELDS = frozenset({"pattern", "days", "ranks", "month_weekday", "rrule"})


def editable_rcps(request):
    """The RCPs the user may change: all for network managers, else their centres'."""
    if is_network_manager(request):
        return Rcp.objects.all()
    return Rcp.objects.filter(organiser__in=editable_centre_ids(request))


class RcpAdminForm(forms.ModelForm):
    """The RCP, with its rhythm chosen in plain French (or typed as an RRULE)."""

    pattern = forms.ChoiceField(
        label=_("Rythme"),
        choices=[
            ("weekly", _("Chaque semaine, le ou les jours cochés")),
            ("biweekly", _("Toutes les deux semaines, le ou les jours cochés")),
            ("monthly", _("Le 1er, 2e… ou dernier jour choisi de chaque mois")),
            ("custom", _("Autre rythme : règle RRULE saisie ci-dessous")),
        ],
        widget=forms.RadioSelect,
        initial="weekly",
    )
    days = forms.MultipleChoiceField(
        label=_("Jours (chaque semaine ou toutes les deux semaines)"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ranks = forms.MultipleChoiceField(
        label=_("Rang dans le mois"),
        choices=RANK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Par exemple 1er et 3e pour « le 1er et le 3e mardi du mois »."),
    )
    month_weekday = forms.ChoiceField(
        label=_("Jour du mois"),
        choices=[("", "---------"), *WEEKDAY_CHOICES],
        required=False,
    )

    video_url = forms.URLField(
        label=_("lien de visioconférence"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Rcp
        # The admin's fieldsets decide what is shown; these are what may be.
        fields = (
            "name",
            "slug",
            "axes",
            "scope",
            "organiser",
            "participants",
            "description",
            "rrule",
            "first_date",
            "start_time",
            "duration_minutes",
            "timezone",
            "meets_on_holidays",
            "deadline_days_before",
            "deadline_time",
            "deadline_skips_weekend",
            "submission",
            "case_form",
            "mode",
            "place",
            "video_url",
            "video_url_is_public",
            "coordinator",
            "secretary",
            "secretariat_phone",
            "secretariat_email",
            "secretariat_mssante",
            "is_published",
            "is_demo",
            "last_reviewed",
            "review_every_months",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rrule"].required = False
        self.fields["rrule"].help_text = _(
            "Rempli d’après le rythme choisi ci-dessus ; à saisir seulement pour un « autre "
            "rythme » (RFC 5545, FREQ=WEEKLY ou MONTHLY, par exemple "
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE)."
        )
        # Bound too: the initial values tell what the user changed.
        if self.instance.rrule:
            self.initial.update(self.pattern_of(self.instance.rrule))

    @staticmethod
    def pattern_of(text: str) -> dict:
        """The plain-French fields that describe a rule, or "custom"."""
        try:
            rule = recurrence.parse(text)
        except recurrence.RuleError:
            return {"pattern": "custom"}
        plain = not (
            rule.bymonthday or rule.bymonth or rule.bysetpos or rule.wkst or rule.count
        ) and (rule.until is None)
        codes = [recurrence.WEEKDAY_CODES[wd] for wd in rule.weekdays]
        ranks = sorted({n for n, _wd in rule.byday})
        if plain and rule.freq == "WEEKLY" and rule.byday and rule.interval in (1, 2):
            return {"pattern": "weekly" if rule.interval == 1 else "biweekly", "days": codes}
        if (
            plain
            and rule.freq == "MONTHLY"
            and rule.interval == 1
            and len(codes) == 1
            and ranks
            and all(str(n) in dict(RANK_CHOICES) for n in ranks)
        ):
            return {
                "pattern": "monthly",
                "ranks": [str(n) for n in ranks],
                "month_weekday": codes[0],
            }
        return {"pattern": "custom"}

    def clean(self):
        data = super().clean()
        if self.instance.pk and not RHYTHM_FIELDS & set(self.changed_data):
            return data  # the stored rule stays as written, even in another order
        pattern = data.get("pattern")
        if pattern in ("weekly", "biweekly"):
            days = [code for code, _name in WEEKDAY_CHOICES if code in data.get("days", [])]
            if not days:
                self.add_error("days", _("Cochez au moins un jour."))
            else:
                interval = ";INTERVAL=2" if pattern == "biweekly" else ""
                data["rrule"] = f"FREQ=WEEKLY{interval};BYDAY={','.join(days)}"
        elif pattern == "monthly":
            ranks = sorted((int(r) for r in data.get("ranks", [])), key=lambda n: (n < 0, n))
            weekday = data.get("month_weekday")
            if not ranks:
                self.add_error("ranks", _("Cochez au moins un rang (1er, 2e… ou dernier)."))
            if not weekday:
                self.add_error("month_weekday", _("Choisissez le jour de la semaine."))
            if ranks and weekday:
                data["rrule"] = "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{weekday}" for n in ranks)
        elif not data.get("rrule"):
            self.add_error("rrule", _("Saisissez la règle RRULE de cet autre rythme."))
        if data.get("rrule"):
            try:
                data["rrule"] = str(recurrence.parse(data["rrule"]))
            except recurrence.RuleError:
                pass  # the model's validator gives the reason, on the field
        return data


class RcpExceptionInline(CentreScopedAdminMixin, admin.TabularInline):
    model = RcpException
    fields = ("original_date", "kind", "new_date", "new_start_time", "note")
    extra = 0
    verbose_name = _("séance annulée ou déplacée")
    verbose_name_plural = _(
        "séances annulées ou déplacées (la date prévue doit être une date du calendrier)"
    )


class RcpMemberInline(CentreScopedAdminMixin, admin.TabularInline):
    model = RcpMember
    fields = ("person", "specialty", "order")
    autocomplete_fields = ("person",)
    extra = 0
    verbose_name = _("membre")
    verbose_name_plural = _(
        "membres de la RCP (le quorum se calcule sur leurs spécialités ; voir la règle de "
        "quorum du réseau)"
    )


class SpecialtyChoiceField(forms.MultipleChoiceField):
    """Specialties as checkboxes; the model stores their codes joined by commas."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=Specialty.choices, **kwargs)

    def prepare_value(self, value):
        return specialties.split(value) if isinstance(value, str) else value

    def clean(self, value):
        return specialties.join(super().clean(value))

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


@admin.register(Rcp)
class RcpAdmin(
    TrashAdminMixin,
    VersionedAdminMixin,
    VerifiedButtonAdminMixin,
    CentreScopedAdminMixin,
    ScopedImportExportMixin,
    SimpleHistoryAdmin,
):
    centre_lookup = "organiser"
    # Its activity is protected: deleted before it, it comes back with it too.
    trash_dependents = (("RcpException", "rcp"), ("RcpMember", "rcp"), ("RcpActivity", "rcp"))
    resource_classes = [RcpResource]
    network_only_fields = ("is_demo",)
    form = RcpAdminForm
    list_display = (
        "name",
        "scope",
        "organiser",
        "rhythm",
        "next_meeting",
        "is_published",
        "demo",
        "last_reviewed",
    )
    list_filter = ("scope", "mode", "axes", "is_published", "is_demo", "timezone")
    search_fields = ("name", "slug", "organiser__name", "organiser__short_name", "organiser__city")
    list_select_related = ("organiser__department",)
    list_per_page = 50
    autocomplete_fields = ("organiser", "participants", "axes", "coordinator", "secretary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("next_dates", "updated_at")
    inlines = (RcpMemberInline, RcpExceptionInline)
    actions = ("mark_reviewed",)
    fieldsets = (
        (
            _("RCP"),
            {
                "fields": (
                    "name",
                    "slug",
                    "axes",
                    "scope",
                    "organiser",
                    "participants",
                    "description",
                )
            },
        ),
        (
            _("Calendrier"),
            {
                "fields": (
                    "pattern",
                    "days",
                    ("ranks", "month_weekday"),
                    "rrule",
                    "first_date",
                    ("start_time", "duration_minutes"),
                    "timezone",
                    "meets_on_holidays",
                    "next_dates",
                ),
                "description": _(
                    "Heure et dates sont celles du lieu de la RCP (fuseau horaire choisi). "
                    "Les jours fériés sont ceux du territoire du centre organisateur "
                    "(métropole, Alsace-Moselle ou département d’outre-mer). Les séances "
                    "annulées, déplacées ou maintenues un jour férié se saisissent en bas de "
                    "la page."
                ),
            },
        ),
        (
            _("Présenter un dossier"),
            {
                "fields": (
                    ("deadline_days_before", "deadline_time"),
                    "deadline_skips_weekend",
                    "submission",
                    "case_form",
                )
            },
        ),
        (
            _("Déroulement et contacts"),
            {
                "fields": (
                    "mode",
                    "place",
                    ("video_url", "video_url_is_public"),
                    ("coordinator", "secretary"),
                    ("secretariat_phone", "secretariat_email"),
                    "secretariat_mssante",
                )
            },
        ),
        (
            _("Publication"),
            {
                "fields": (
                    "is_published",
                    "is_demo",
                    ("last_reviewed", "review_every_months"),
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("exceptions")

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description=_("rythme"))
    def rhythm(self, obj):
        text = obj.schedule_text
        return f"{text}, {obj.start_time:%H:%M}" if text else obj.rrule

    @admin.display(description=_("prochaine séance"))
    def next_meeting(self, obj):
        found = schedule.next_meeting(obj)
        return format_datetime(found.start) if found else "—"

    @admin.display(description=_("Démonstration"), boolean=True, ordering="is_demo")
    def demo(self, obj):
        return obj.is_demo

    @admin.display(description=_("cinq prochaines séances, calculées"))
    def next_dates(self, obj):
        if obj is None or obj.pk is None:
            return _("Enregistrez pour voir les dates calculées.")
        meetings = upcoming(obj, limit=5)
        if not meetings:
            return _("Aucune séance dans l’année à venir.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}{}</li>",
                (
                    (
                        format_datetime(o.start),
                        " — annulée"
                        if o.is_cancelled
                        else f" — pas de séance, jour férié : {o.note}"
                        if o.is_holiday
                        else " — déplacée"
                        if o.is_moved
                        else "",
                    )
                    for o in meetings
                ),
            ),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rcp = (
            Rcp.objects.select_related("organiser__department")
            .prefetch_related("exceptions")
            .get(pk=form.instance.pk)
        )
        dates = [format_datetime(o.start) for o in upcoming(rcp, limit=5) if o.takes_place]
        if dates:
            self.message_user(
                request,
                _("Prochaines séances calculées : %(dates)s.") % {"dates": " ; ".join(dates)},
                messages.INFO,
            )

    @admin.action(description=_("Marquer comme relues aujourd’hui"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        """One save per RCP, so that each change is in its history."""
        today = timezone.localdate()
        count = 0
        for rcp in self.changeable(request, queryset):
            rcp.last_reviewed = today
            rcp._change_reason = "Relecture"
            rcp.save(update_fields=["last_reviewed"])  # « modifié le » keeps its date
            self.log_change(request, rcp, [{"changed": {"fields": ["last_reviewed"]}}])
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d RCP marquée comme relue aujourd’hui.",
                "%(count)d RCP marquées comme relues aujourd’hui.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class RcpActivityAdminForm(forms.ModelForm):
    specialties = SpecialtyChoiceField(
        label=_("spécialités présentes"),
        help_text=_("Pour compter les séances au quorum (facultatif)."),
    )

    class Meta:
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


class QuorumRuleAdminForm(forms.ModelForm):
    required_specialties = SpecialtyChoiceField(label=_("spécialités obligatoires"))

    class Meta:
        model = QuorumRule
        fields = ("min_specialties", "required_specialties")


@admin.register(QuorumRule)
class QuorumRuleAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    """The network's one quorum rule: changed by the pilot centre, read by all."""

    form = QuorumRuleAdminForm
    list_display = ("__str__", "updated_at")
    fields = ("min_specialties", "required_specialties", "updated_at")
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not QuorumRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AxisCaseGuide)
class AxisCaseGuideAdmin(CentreScopedAdminMixin, SimpleHistoryAdmin):
    """Each axis's minimum data set and default case form, kept by the pilot centre."""

    list_display = ("axis", "item_count", "has_form", "updated_at")
    list_select_related = ("axis",)
    fields = ("axis", "minimum_data", "case_form", "updated_at")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("éléments demandés"))
    def item_count(self, obj):
        return len(obj.items)

    @admin.display(description=_("fiche par défaut"), boolean=True)
    def has_form(self, obj):
        return bool(obj.case_form)


class ActivityImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("Une ligne par séance tenue ; 2 Mo au plus. Colonnes acceptées ci-dessous."),
    )
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement (ne rien enregistrer)"), required=False
    )


@admin.register(RcpActivity)
class RcpActivityAdmin(
    VersionedAdminMixin, CentreScopedAdminMixin, ScopedImportExportMixin, SimpleHistoryAdmin
):
    centre_lookup = "rcp__organiser"
    resource_classes = [RcpActivityResource]
    form = RcpActivityAdminForm
    list_display = (
        "date",
        "rcp",
        "files_discussed",
        "first_presentations",
        "doctors_present",
        "specialties_present",
        "centres_represented",
        "source",
    )
    list_filter = ("source", "rcp__axes", "rcp__scope")
    search_fields = ("rcp__name", "rcp__slug")
    date_hierarchy = "date"
    list_select_related = ("rcp",)
    list_per_page = 100
    autocomplete_fields = ("rcp",)
    readonly_fields = ("source", "updated_at")
    fields = (
        "rcp",
        "date",
        ("files_discussed", "first_presentations"),
        ("doctors_present", "specialties_present", "centres_represented"),
        "specialties",
        "source",
        "updated_at",
    )
    change_list_template = "admin/rcp/rcpactivity/change_list.html"
    # The page's own import button leads to the CSV import below (regional
    # networks' files, column aliases); the resource's (CSV or XLSX, the round
    # trip of an export) is linked by that template.
    import_export_change_list_template = "admin/import_export/change_list_export.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Rcp and "queryset" not in kwargs:
            kwargs["queryset"] = editable_rcps(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:  # django-import-export's page takes the name below
            if getattr(pattern, "name", None) == "rcp_rcpactivity_import":
                pattern.name = "rcp_rcpactivity_import_file"
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="rcp_rcpactivity_import",
            ),
            *urls,
        ]

    def import_view(self, request):
        """Upload a CSV of meetings held; all or nothing, limited to the user's RCPs."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ActivityImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read(services.MAX_BYTES + 1)
            dry_run = form.cleaned_data["dry_run"]
            result = services.import_activity_csv(
                raw=raw,
                allowed_rcps=editable_rcps(request),
                dry_run=dry_run,
                user=request.user,
                reason="Import CSV de l’activité (administration)",
            )
            if result.ok and not dry_run:
                self.message_user(
                    request,
                    _(
                        "Import terminé : %(created)d séances ajoutées, %(updated)d mises à jour, "
                        "%(unchanged)d déjà à jour."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:rcp_rcpactivity_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer l’activité des RCP (CSV)"),
            "form": form,
            "result": result,
            "rows_read": result and result.created + result.updated + result.unchanged,
            "columns": [
                (
                    services.LABELS[name],
                    ", ".join(aliases),
                    name in services.REQUIRED or name == "rcp",
                )
                for name, aliases in services.COLUMNS.items()
            ],
        }
        return TemplateResponse(request, "admin/rcp/rcpactivity/import.html", context)
