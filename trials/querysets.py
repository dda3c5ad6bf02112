"""Querysets of the trials app, named by intent and shaped per page."""

from datetime import timedelta

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from core.text import normalise, query_words

# Which site statuses count as "open" for each trial status the finder asks for.
# A blank site status means "as the trial".
RECRUITING = "RECRUITING"
NOT_YET_RECRUITING = "NOT_YET_RECRUITING"
OPEN_SITE_STATUSES = {
    RECRUITING: ("", RECRUITING),
    NOT_YET_RECRUITING: ("", NOT_YET_RECRUITING, RECRUITING),
}

# A registry trial whose record was last read from ClinicalTrials.gov longer ago
# than this has an unverified status (see TrialQuerySet.status_checked).
STATUS_CHECK_MAX_AGE = timedelta(days=45)


def status_check_limit():
    """The oldest registry read that still vouches for a trial's status."""
    return timezone.now() - STATUS_CHECK_MAX_AGE


class TrialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def status_checked(self):
        """Trials whose status can be shown as current: the rule for every count and filter.

        A trial typed by staff is checked by them; a demonstration trial has no
        registry record; a registry trial is checked when an import read its record
        less than STATUS_CHECK_MAX_AGE ago (`last_imported_at`, set at every read,
        see `import_ctgov --refresh`). Any other trial keeps its page, with its
        status marked unverified, but counts as neither recruiting nor opening soon.
        """
        return self.filter(
            ~Q(source="registry") | Q(is_demo=True) | Q(last_imported_at__gte=status_check_limit())
        )

    def with_status(self, status: str):
        """Trials with this status, checked recently enough to be trusted."""
        return self.status_checked().filter(status=status)

    def recruiting(self):
        return self.with_status(RECRUITING)

    def to_refresh(self):
        """Registry trials that `import_ctgov --refresh` reads again by NCT number
        (demonstration trials have fictitious numbers)."""
        return self.filter(source="registry", is_demo=False).exclude(nct_number="")

    def for_axis(self, axis):
        """Trials on this axis (an Axis or its pk)."""
        return self.filter(
            pk__in=self.model.axes.through.objects.filter(axis=axis).values("trial_id")
        )

    def for_age(self, age: int):
        """Trials whose registry age limits include `age` (no limit: every age)."""
        return self.filter(
            (Q(min_age__isnull=True) | Q(min_age__lte=age))
            & (Q(max_age__isnull=True) | Q(max_age__gte=age))
        )

    def search(self, text: str):
        """Every word of the query in the trial's titles, acronym, identifiers,
        conditions, interventions or sponsor (accents and case ignored, the same
        on SQLite and PostgreSQL: both sides are normalised the same way)."""
        qs = self
        for word in query_words(text):
            qs = qs.filter(search_text__contains=word)
        return qs

    def with_site_at(self, centre_ids, *, site_statuses=None):
        """Trials with a site at one of these centres, open by `site_statuses` if given."""
        TrialSite = apps.get_model("trials", "TrialSite")

        sites = TrialSite.objects.governing(site_statuses).filter(centre_id__in=centre_ids)
        return self.filter(pk__in=sites.values("trial_id"))

    def for_detail(self):
        """Everything the trial page shows, in a constant number of queries."""
        TrialSite = apps.get_model("trials", "TrialSite")

        return self.prefetch_related(
            "axes",
            Prefetch(
                "sites",
                queryset=TrialSite.objects.select_related("centre__department")
                .prefetch_related("centre__axes")  # the map's marker colours
                .order_by("centre__city", "facility_city", "facility_name", "pk"),
                to_attr="all_sites",
            ),
        )

    def recruiting_counts_by_axis(self) -> dict[int, int]:
        """{axis pk: number of published recruiting trials}, in one query."""
        through = self.model.axes.through
        rows = (
            through.objects.filter(trial__in=self.published().recruiting().values("pk"))
            .values("axis_id")
            .annotate(n=Count("trial_id", distinct=True))
            .order_by()
        )
        return {row["axis_id"]: row["n"] for row in rows}


class TrialSiteQuerySet(models.QuerySet):
    def in_network(self):
        """The network sites: those matched to a published centre. A site matched
        to an unpublished centre is never one: the public pages, cards, finder,
        API, datasets and feeds show it as a site outside the network, by its
        city only (never the registry's facility name, its contacts or a link)."""
        return self.filter(centre__isnull=False, centre__is_published=True)

    def unmatched(self):
        """Sites without a centre that staff have not decided about (a site they said
        is outside the network is `centre_confirmed` without a centre)."""
        return self.filter(centre__isnull=True, centre_confirmed=False)

    def governing(self, site_statuses=None):
        """The sites that say a trial's status at their centre, with one of
        `site_statuses` if given (None: any).

        When the registry lists a trial at a centre, its sites there govern: a
        site staff typed at the same centre (for a local contact, say) never
        reopens a centre the registry closed. Elsewhere, staff's sites govern.
        """
        registry_here = self.model._default_manager.filter(
            trial=OuterRef("trial"), centre=OuterRef("centre"), source="registry"
        )
        sites = self.filter(Q(source="registry") | ~Exists(registry_here))
        if site_statuses is not None:
            sites = sites.filter(status__in=site_statuses)
        return sites


class GlossaryTermQuerySet(models.QuerySet):
    def french_for(self, texts) -> dict[str, str]:
        """{registry text: its French} for the texts the glossary knows, in one query
        (case, accents and punctuation ignored)."""
        keys = {normalise(text): text for text in texts}
        found = dict(self.filter(key__in=list(keys)).values_list("key", "french"))
        return {keys[key]: french for key, french in found.items()}
