"""What a public listing holds for its query string, shared by the API, the CSV
downloads and the datasets: the same forms as the pages (centres, RCPs,
trials), the same filters, the same order, plus `updated_since`.

A `Selection` is the filtered rows in a stable order, either a queryset
(ordered by the page's order, the primary key breaking ties) or, near a
place, primary keys ranked by distance. `window()` loads one slice of it
with the select/prefetch a caller asks for, in a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from centres.forms import CentreFilterForm
from centres.models import Centre, CentreAxis, Person
from rcp.forms import RcpFilterForm
from rcp.models import Rcp, RcpException
from trials.forms import TrialFinderForm
from trials.models import Trial, TrialSite


@dataclass
class Selection:
    queryset: QuerySet
    ranked: list[tuple[int, float]] | None = None  # (pk, km), nearest first

    def count(self) -> int:
        return len(self.ranked) if self.ranked is not None else self.queryset.count()

    def window(
        self, offset: int, limit: int | None, shape: Callable[[QuerySet], QuerySet]
    ) -> list[tuple[object, float | None]]:
        """(object, km or None) for rows offset..offset+limit, loaded by `shape`."""
        end = None if limit is None else offset + limit
        if self.ranked is None:
            return [(obj, None) for obj in shape(self.queryset)[offset:end]]
        part = self.ranked[offset:end]
        found = shape(self.queryset.model.objects.all()).in_bulk([pk for pk, _km in part])
        return [(found[pk], km) for pk, km in part if pk in found]


# Rows of other tables each listing publishes with its own (model with a
# history, field of that history naming the listed row): their creation,
# change or deletion since the date counts as a change of the row (an RCP's
# cancelled meeting, a trial's site), read from the history tables, which keep
# deletions too. One subquery each, in the same query.
RELATED_CHANGES = {
    Centre: [(CentreAxis, "centre_id")],
    Rcp: [(RcpException, "rcp_id")],
    Trial: [(TrialSite, "trial_id")],
}
# People an RCP names (coordinator, secretary): a change of their name counts too.
PEOPLE_NAMED = {Rcp: ["coordinator", "secretary"]}


def _since(queryset, since):
    """The rows changed since `since`: their own date, or a change of what
    they publish from other tables (RELATED_CHANGES, PEOPLE_NAMED)."""
    if not since:
        return queryset
    model = queryset.model
    changed = Q(updated_at__gte=since)
    for related, field in RELATED_CHANGES.get(model, []):
        records = related.history.model.objects.filter(history_date__gte=since)
        changed |= Q(pk__in=records.values(field))
    for name in PEOPLE_NAMED.get(model, []):
        people = Person.history.model.objects.filter(history_date__gte=since)
        changed |= Q(**{f"{name}__in": people.values("id")})
    return queryset.filter(changed)


def centres(form: CentreFilterForm, *, since=None) -> Selection:
    """Published centres as /centres/ lists them (a valid, bound form)."""
    queryset = _since(form.filter(Centre.objects.published()), since).order_by("name", "pk")
    location = form.location
    if location is None:
        return Selection(queryset)
    ranked = queryset.ranked_by_distance(location.latitude, location.longitude)
    return Selection(queryset, sorted(ranked, key=lambda item: (item[1], item[0])))


def rcps(form: RcpFilterForm, *, since=None) -> Selection:
    """Published RCPs as /rcp/ lists them; near a place, by their organiser's
    distance (the national RCPs included, ranked like the others)."""
    queryset = _since(form.filter(Rcp.objects.published()), since).order_by("name", "pk")
    location = form.location
    if location is None:
        return Selection(queryset)
    return Selection(queryset, queryset.ranked_by_distance(location.latitude, location.longitude))


def trials(form: TrialFinderForm, *, since=None) -> Selection:
    """Published trials as /essais/ lists them: near a place, those with an open
    site at a published centre within the radius, nearest first (the finder's rule)."""
    queryset = _since(form.filter(Trial.objects.published()), since).order_by(*Trial._meta.ordering)
    location = form.location
    if location is None:
        return Selection(queryset)
    in_range = {
        pk: km
        for pk, km in Centre.objects.published().ranked_by_distance(
            location.latitude, location.longitude
        )
        if km <= form.radius
    }
    sites = TrialSite.objects.governing(form.site_statuses).filter(
        trial__in=queryset.values("pk"), centre_id__in=list(in_range)
    )
    nearest: dict[int, float] = {}
    for trial_id, centre_id in sites.values_list("trial_id", "centre_id"):
        km = in_range[centre_id]
        if trial_id not in nearest or km < nearest[trial_id]:
            nearest[trial_id] = km
    return Selection(queryset, sorted(nearest.items(), key=lambda item: (item[1], item[0])))
