"""Public pages of the rcp app: directory, RCP page, case form, calendar, indicators."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from centres.models import Axis
from core.dates import day_name, format_date, format_month, format_time
from core.text import sort_key, with_de

from . import charts, indicators
from .cards import card_html, choice_labels, demo_badge
from .feeds import feed_links
from .forms import (
    MAX_SELECTION,
    YEAR_MAX,
    YEAR_MIN,
    CalendarForm,
    IndicatorForm,
    RcpFilterForm,
    month_param,
    week_param,
)
from .frenchdates import PARIS, format_datetime, paris_difference, zone_suffix
from .models import QuorumRule, Rcp, RcpActivity
from .querysets import NATIONAL_SCOPES
from .schedule import (
    TIMETABLE_FIELDS,
    Timetable,
    exceptions_by_rcp,
    network_occurrences,
    next_session,
    upcoming,
)
from .slugs import former_rcp
from .templatetags.rcp_tags import change_pct, decimal_fr
from .validators import CASE_FORM_TYPES, case_form_extension

PAGE_SIZE = 20

# What the meetings of 500 RCPs and their lines need: not their long texts, nor
# their organisers' (a calendar builds a thousand model instances or more).
CALENDAR_FIELDS = (
    "name",
    "slug",
    "organiser__name",
    "organiser__short_name",
    "organiser__department__code",
    "mode",
    "is_demo",
    "timezone",
    "rrule",
    "weekdays",
    "first_date",
    "start_time",
    "duration_minutes",
    "deadline_days_before",
    "deadline_time",
    "deadline_skips_weekend",
    "meets_on_holidays",
)

# What an RCP card prints (rcp/includes/rcp_card.html), its next meeting included.
CARD_FIELDS = (
    *CALENDAR_FIELDS,
    "scope",
    "organiser__city",
    "organiser__department__region__name",
)

# What a line of the national RCPs' list needs (`_national_groups`).
NATIONAL_FIELDS = (*CALENDAR_FIELDS, "scope")
NATIONAL_HEADINGS = {
    "recourse": "RCP nationales de recours (deuxième avis)",
    "molecular": "RCP moléculaires ou génomiques",
}


def directory(request):
    """Every published RCP, filtered, with its next meeting and deadline."""
    form = RcpFilterForm(request.GET or None)
    context = {"form": form, "page": None, "items": []}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        rcps = Rcp.objects.published()
        params = {}
        if form.is_bound:
            rcps = form.filter(rcps)
            params = form.filter_params()
        now = timezone.now()
        location = form.location if form.is_bound else None
        national = ()
        if location is not None:
            # Nearest organisers first; the national RCPs apart, all of them.
            ranked = rcps.exclude(scope__in=NATIONAL_SCOPES).ranked_by_distance(
                location.latitude, location.longitude
            )
            page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
            found = (
                Rcp.objects.for_listing()
                .only(*CARD_FIELDS)
                .in_bulk([pk for pk, _km in page.object_list])
            )
            items = [
                (found[pk], next_session(found[pk], now=now), km)
                for pk, km in page.object_list
                if pk in found
            ]
            national = _national_groups(rcps.national(), now)
        else:
            data = form.cleaned_data if form.is_bound else {}
            ranked = rcps.ranked_by_name(data.get("q", ""), data.get("region"))
            page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
            found = (
                Rcp.objects.for_listing()
                .only(*CARD_FIELDS)
                .in_bulk([pk for pk, _none in page.object_list])
            )
            items = [
                (found[pk], next_session(found[pk], now=now), None)
                for pk, _none in page.object_list
                if pk in found
            ]
        badge = demo_badge()
        context.update(
            page=page,
            items=items,
            national=national,
            item_cards=[
                card_html(rcp, next, distance=km, level=3, pick=True, demo_badge=badge)
                for rcp, next, km in items
            ],
            location=location,
            place_choices=form.place_choices if form.is_bound else (),
            filtered=form.is_bound and form.is_filtered(),
            feeds=_directory_feeds(request, form, params),
            max_selection=MAX_SELECTION,
        )
    return render(request, "rcp/directory.html", context, status=status)


class NationalRcp(NamedTuple):
    """One line of the national RCPs' list: the same for every place searched,
    so a compact line rather than a card (a hundred at the network's size)."""

    name: str
    url: str
    axes: str
    next_start: str  # the next meeting a file sent now reaches, "" if none known
    deadline: str
    moved: bool
    is_demo: bool


def _national_groups(rcps, now) -> list[tuple[str, list[NationalRcp]]]:
    """The national RCPs by scope (recourse, then molecular), in French
    alphabetical order, each with its axes and the next meeting still open to
    files. Three queries whatever their number: the RCPs, their axes, their
    exceptions."""
    rcps = rcps.select_related("organiser__department").only(*NATIONAL_FIELDS)
    exceptions = exceptions_by_rcp(rcps)
    axes: dict[int, list[str]] = {}
    links = Rcp.axes.through.objects.filter(rcp__in=rcps).order_by("axis__order", "axis__name")
    for rcp_id, axis in links.values_list("rcp_id", "axis__name"):
        axes.setdefault(rcp_id, []).append(axis)
    groups: dict[str, list] = {scope: [] for scope in NATIONAL_SCOPES}
    for rcp in rcps:
        session = next_session(rcp, now=now, exceptions=exceptions.get(rcp.pk, ()))
        reachable = session.reachable if session else None
        groups[rcp.scope].append(
            (
                sort_key(rcp.name),
                NationalRcp(
                    name=rcp.name,
                    url=rcp.get_absolute_url(),
                    axes=", ".join(axes.get(rcp.pk, ())),
                    next_start=format_datetime(reachable.start) if reachable else "",
                    deadline=format_datetime(reachable.deadline) if reachable else "",
                    moved=bool(reachable and reachable.is_moved),
                    is_demo=rcp.is_demo,
                ),
            )
        )
    return [
        (NATIONAL_HEADINGS[scope], [row for _key, row in sorted(rows)])
        for scope, rows in groups.items()
        if rows
    ]


def guide(request):
    """« Quelle RCP pour mon patient ? »: the kinds of RCP in plain words."""
    return render(request, "rcp/guide.html")


def _directory_feeds(request, form, params) -> list[dict]:
    """The network's feed (or this search's), each axis's, and the centre's
    when the search names one."""
    filtered = form.is_bound and form.is_filtered()
    feeds = [
        feed_links(
            request,
            "Les RCP de cette recherche" if filtered else "Toutes les RCP du réseau",
            "all",
            params=params,
        )
    ]
    centre = form.cleaned_data.get("centre") if form.is_bound else None
    if centre:
        feeds.append(feed_links(request, f"RCP {with_de(centre)}", "centre", args=[centre.slug]))
    feeds += [
        feed_links(request, f"Cancer\u00a0: {axis.name}", "axis", args=[axis.slug])
        for axis in Axis.objects.all()
    ]
    return feeds


def detail(request, slug):
    """An RCP: next dates with deadlines, how to submit a case, contacts."""
    rcp = Rcp.objects.published().for_detail().filter(slug=slug).first()
    if rcp is None:
        return _renamed(request, slug, "rcp:detail")
    now = timezone.now()
    meetings = upcoming(rcp, now=now, limit=10)
    quorum = QuorumRule.current()
    return render(
        request,
        "rcp/detail.html",
        {
            "rcp": rcp,
            "axes": list(rcp.axes.all()),
            "participants": list(rcp.participants.all()),
            "meetings": meetings,
            "next": next_session(rcp, now=now),
            "now": now,
            "has_remarks": any(m.status != "scheduled" for m in meetings),
            "paris_difference": paris_difference(m.start for m in meetings),
            "feeds": [
                feed_links(request, "Cette RCP", "rcp", args=[rcp.slug]),
                feed_links(
                    request, f"RCP {with_de(rcp.organiser)}", "centre", args=[rcp.organiser.slug]
                ),
                *(
                    feed_links(request, f"Cancer\u00a0: {axis.name}", "axis", args=[axis.slug])
                    for axis in rcp.axes.all()
                ),
                feed_links(request, "Toutes les RCP du réseau", "all"),
            ],
            "case_form": _case_form_info(rcp),
            "case_guides": rcp.case_guides(),
            "members": rcp.members_by_specialty(),
            "quorum": quorum,
            "quorum_gaps": quorum.gaps(m.specialty for m in rcp.members.all()),
        },
    )


def _renamed(request, slug: str, route: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect from a former slug of a published RCP (its history
    keeps them), so that links and bookmarks survive a rename; else 404."""
    rcp = former_rcp(slug)
    if rcp is None:
        raise Http404("RCP inconnue")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(
        reverse(route, args=[rcp.slug]) + (f"?{query}" if query else "")
    )


def _case_form_info(rcp) -> dict | None:
    """Format and size of the case form (the RCP's own or its axis's), or None
    if there is none (or its file is missing)."""
    file = rcp.case_form_file()
    if not file:
        return None
    extension = case_form_extension(file.name)
    try:
        size = file.size
    except OSError:
        return None
    if extension not in CASE_FORM_TYPES:
        return None
    return {"extension": extension.upper(), "size": size, "is_axis_default": not rcp.case_form}


def case_form(request, slug):
    """The RCP's case form (its own, else its axis's), always as a download
    (never displayed inline)."""
    rcp = Rcp.objects.published().prefetch_related("axes__case_guide").filter(slug=slug).first()
    if rcp is None:
        return _renamed(request, slug, "rcp:case_form")
    file = rcp.case_form_file()
    extension = case_form_extension(file.name) if file else ""
    if extension not in CASE_FORM_TYPES:
        raise Http404("pas de fiche")
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("fichier absent") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"fiche-rcp-{rcp.slug}.{extension}",
        content_type=CASE_FORM_TYPES[extension][1],
    )
    response["Cache-Control"] = "no-cache"
    return response


@dataclass(slots=True, eq=False)
class CalendarRcp(Timetable):
    """An RCP as the calendar shows it: its schedule, and its line's texts
    written once (a month of 500 RCPs has 2,000 meetings)."""

    link: str  # its <a> to the RCP page, escaped
    where: str  # "organiser · mode", the start of a week's details line
    is_demo: bool


# What the calendar reads of each RCP, with values(): no model instances.
CALENDAR_VALUES = (
    *TIMETABLE_FIELDS,
    "slug",
    "organiser__name",
    "organiser__short_name",
    "mode",
    "is_demo",
)


def _calendar_rcps(rows) -> list[CalendarRcp]:
    """The calendar's RCPs from rows of `values(*CALENDAR_VALUES)`."""
    modes = choice_labels("mode")
    # One reverse() for 500 RCPs: a slug needs no quoting (letters, digits, - and _).
    detail_url = reverse("rcp:detail", kwargs={"slug": "slug"}).replace("/slug/", "/{}/")
    return [
        CalendarRcp(
            **Timetable.arguments(row),
            link=f'<a href="{escape(detail_url.format(row["slug"]))}">{escape(row["name"])}</a>',
            # The organiser as `Centre.__str__` names it.
            where=f"{row['organiser__short_name'] or row['organiser__name']}"
            f" · {modes.get(row['mode'], row['mode'])}",
            is_demo=row["is_demo"],
        )
        for row in rows
    ]


class CalendarLine(NamedTuple):
    """One meeting of the calendar page, its texts ready to print."""

    time: str  # escaped, as the RCP's link
    link: str
    status: str  # "", "cancelled", "moved" or "holiday"
    details: str  # "" in a month, which is an overview
    state: str  # "", "past" (started before now) or "closed" (deadline passed)
    is_demo: bool

    def html(self, demo_badge: str) -> str:
        """The line's <li>, written here rather than by a template: a month of the
        network is 2,000 lines, and a template loop cost most of its render.
        Every text in it is escaped (the caller marks a day's lines safe at once).
        `demo_badge`: what follows the name of a demo RCP ("" when the whole page
        is demonstration data and says so once)."""
        status = _STATUS_HTML.get(self.status, "")
        state = _STATE_HTML.get(self.state, "")
        classes = "is-cancelled" if self.status in ("cancelled", "holiday") else ""
        if self.state == "past":
            classes += " is-past"
        badge = f" {demo_badge}" if self.is_demo and demo_badge else ""
        if not self.details:  # a month's line, as short as it can be: 2,000 of them
            attribute = f' class="{classes.strip()}"' if classes else ""
            return f"<li{attribute}><b>{self.time}</b> {self.link}{badge}{status}{state}</li>"
        return (
            f'<li class="{classes}"><span class="calendar-time">{self.time}</span> '
            f"{self.link}{badge}{status}{state}"
            f'<br><span class="hint">{escape(self.details)}</span></li>'
        )


_STATUS_HTML = {
    "cancelled": ' <strong class="status status-cancelled">annulée</strong>',
    "holiday": ' <strong class="status status-holiday">jour férié</strong>',
    "moved": ' <strong class="status status-moved">déplacée</strong>',
}
_STATE_HTML = {
    "past": ' <strong class="status status-past">séance passée</strong>',
    "closed": ' <strong class="status status-closed">dossiers clos</strong>',
}


class CalendarDay(NamedTuple):
    day: date
    label: str
    lines: SafeString  # its CalendarLine.html() joined: one template variable a day, not one a line
    week: str | None  # the ISO week that holds it (None outside the years accepted)


def _local_time(start, memo: dict) -> str:
    """ "14 h 00", plus the time in Paris for an RCP in another zone, escaped:
    written once per wall time in Paris time, once per date and time elsewhere
    (the difference with Paris changes with the date)."""
    key = start.tzinfo.key
    key = (start.hour, start.minute) if key == PARIS else (start.replace(tzinfo=None), key)
    text = memo.get(key)
    if text is None:
        text = memo[key] = escape(format_time(start) + zone_suffix(start))
    return text


def calendar_lines(meetings, now, *, details: bool = True) -> list[tuple[date, CalendarLine]]:
    """(local day, line) for each meeting of CalendarRcp's, in the order of
    their local dates and times: 9 h 00 in La Réunion comes before 14 h 00 in
    Paris that day, as each reader sees it. `details`: a week's line says
    where, how and until when to send files; a month's does not (it leaves
    them out, and never writes a deadline). The deadlines are written once."""
    deadlines: dict[tuple, str] = {}
    times: dict[tuple, str] = {}
    lines = []
    ordered = sorted(
        meetings,
        key=lambda m: (m.start.date(), m.start.hour, m.start.minute, m.rcp.name),
    )
    for meeting in ordered:
        rcp = meeting.rcp
        start = meeting.start
        state = "past" if start <= now else ""
        text = ""
        if details:
            text = rcp.where
            if meeting.is_holiday:
                text += f" · pas de séance, jour férié\u00a0: {meeting.note}"
            elif meeting.is_cancelled:
                text += f" · {meeting.note}" if meeting.note else ""
            elif not state:
                key = (meeting.deadline, rcp.zone.key)
                deadline = deadlines.get(key)
                if deadline is None:
                    deadline = deadlines[key] = format_datetime(meeting.deadline)
                if meeting.deadline <= now:
                    state = "closed"
                    text += f" · dossiers clos depuis le {deadline}"
                else:
                    text += f" · dossiers avant le {deadline}"
        elif not state and meeting.takes_place and meeting.deadline <= now:
            state = "closed"
        lines.append(
            (
                start.date(),
                CalendarLine(
                    _local_time(start, times),
                    rcp.link,
                    "" if meeting.status == "scheduled" else meeting.status,
                    text,
                    state,
                    rcp.is_demo,
                ),
            )
        )
    return lines


def _within_bounds(day, to_param) -> str | None:
    """The navigation value for that day, or None outside the years the form accepts."""
    return to_param(day) if YEAR_MIN <= day.year <= YEAR_MAX else None


def _week_of(day: date) -> str | None:
    """The ISO week that holds that day ("2026-W53" for 1 January 2027), or None
    when the form would not accept it."""
    year = day.isocalendar()[0]
    return week_param(day) if YEAR_MIN <= year <= YEAR_MAX else None


def _calendar_days(
    lines, view: str, first: date, last: date, *, demo_badge: str
) -> list[CalendarDay]:
    """The days to show: every day of a month (its grid), the days with a
    meeting otherwise."""
    by_day: dict[date, list[str]] = {}
    for day, line in lines:
        by_day.setdefault(day, []).append(line.html(demo_badge))
    if view == "month":
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    else:
        days = sorted(by_day)
    return [
        # Each line is escaped by CalendarLine.html().
        CalendarDay(
            day,
            format_date(day),
            mark_safe("".join(by_day.get(day, ()))),
            _week_of(day) if view == "month" else None,
        )
        for day in days
    ]


def calendar(request):
    """Every meeting of the network for the coming week (from now), a week or a
    month, by day, filterable; the month as a grid of seven columns."""
    form = CalendarForm(request.GET or None)
    now = timezone.now()
    today = timezone.localdate(now)
    context = {"form": form, "days": []}
    if form.is_bound and not form.is_valid():
        return render(request, "rcp/calendar.html", context, status=400)
    view, first, last = form.period(today)
    filtered = form.is_bound and form.is_filtered()
    rcps = Rcp.objects.published()
    params = {}
    if form.is_bound:
        rcps = form.filter(rcps)
        params = form.filter_params()
    scheduled = _calendar_rcps(rcps.values(*CALENDAR_VALUES))
    meetings = network_occurrences(
        scheduled, first, last, ordered=False, exceptions=exceptions_by_rcp(rcps, first, last)
    )
    if view == "upcoming":
        # From now on: a meeting that has started is no longer offered.
        meetings = [m for m in meetings if m.start > now]
    # The month is an overview: a week's lines say where and until when.
    lines = calendar_lines(meetings, now, details=view != "month")
    # A calendar of fictitious RCPs only says so at the top; otherwise each demo
    # line carries the cards' badge.
    only_demo = bool(lines) and all(line.is_demo for _, line in lines)
    badge = (
        ""
        if only_demo
        else render_to_string("includes/demo_badge.html", {"item": {"is_demo": True}})
    )
    days = _calendar_days(lines, view, first, last, demo_badge=badge)
    this_week = today - timedelta(days=today.weekday())
    if view == "month":
        previous = _within_bounds(first - relativedelta(months=1), month_param)
        following = _within_bounds(first + relativedelta(months=1), month_param)
        title = format_month(first.year, first.month).capitalize()
        # This week in the current month, else the month's first Monday (a week
        # mostly in this month, and never before the first month the form accepts).
        week_of = today if first <= today <= last else first + timedelta(days=-first.weekday() % 7)
        other = {"semaine": week_param(week_of), "mois": None}
    else:
        monday = first - timedelta(days=first.weekday())
        previous = _within_bounds(monday - timedelta(days=7), week_param)
        following = _within_bounds(monday + timedelta(days=7), week_param)
        if view == "upcoming":
            title = f"Les sept prochains jours, du {format_date(first)} au {format_date(last)}"
        else:
            same_year = first.year == last.year
            title = f"Semaine du {format_date(first, year=not same_year)} au {format_date(last)}"
        # The month of the week's Thursday (the ISO rule for the week's year).
        other = {"mois": month_param(monday + timedelta(days=3)), "semaine": None}
    period_param = None
    if view == "month" and form.is_bound and form.cleaned_data.get("mois"):
        period_param = ("mois", month_param(first))
    elif view == "week":
        period_param = ("semaine", week_param(first))
    context.update(
        view=view,
        period_param=period_param,
        is_current=view == "upcoming",
        this_week=week_param(this_week),
        first=first,
        last=last,
        title=title,
        days=days,
        # Where the month's first day sits in its week: its grid column.
        first_column=first.weekday() + 1,
        weekdays=[day_name(n) for n in range(7)],
        count=sum(1 for m in meetings if m.takes_place),
        only_demo=only_demo,
        previous=previous,
        following=following,
        other=other,
        today=today,
        filtered=filtered,
        feeds=[
            feed_links(
                request,
                "Les RCP de ce calendrier" if filtered else "Toutes les RCP du réseau",
                "all",
                params=params,
            )
        ],
    )
    return render(request, "rcp/calendar.html", context)


def _indicator_rows(form: IndicatorForm):
    settings = form.settings()
    settings["quorum"] = QuorumRule.current()
    # The perimeter's RCPs as one subquery (a semi-join): joined row by row,
    # the published organisers cost more than the sums of 20,000 meetings.
    rcps = Rcp.objects.published()
    if settings["axis"]:
        rcps = rcps.for_axis(settings["axis"])
    if settings["region"]:
        rcps = rcps.in_region(settings["region"])
    activities = RcpActivity.objects.filter(rcp__in=rcps.values("pk"))
    if settings["rcp"]:
        activities = activities.filter(rcp=settings["rcp"])
    rows = indicators.compute(
        activities,
        kind=settings["period"],
        today=settings["today"],
        threshold=settings["threshold"],
        quorum=settings["quorum"],
    )
    return settings, rows


def _perimeter(settings) -> str:
    parts = [
        f"axe {settings['axis'].short_name.lower()}" if settings["axis"] else "",
        f"région {settings['region'].name}" if settings["region"] else "",
        settings["rcp"].name if settings["rcp"] else "",
    ]
    return ", ".join(p for p in parts if p) or "tout le réseau"


def _against(value, before, change=None) -> str:
    """A cell's figure, then the year before's and the change as a hint."""
    hint = before if change is None else f"{before}\u00a0; {change_pct(change)}"
    return f'<td>{value} <span class="hint">({hint})</span></td>'


def _indicator_table_html(rows) -> SafeString:
    """The rows of the indicator table (its tbody), byte for byte what the
    template's loop wrote: 25 rows of 8 cells through filters cost more than
    the rest of the page."""
    parts = []
    for row in rows:
        current, previous, changes = row.current, row.previous, row.changes
        alert = ' <strong class="status status-alert">alerte</strong>' if row.alert else ""
        if previous.meetings:
            cells = (
                _against(current.meetings, previous.meetings, changes["meetings"]),
                _against(current.files, previous.files),
                _against(
                    decimal_fr(current.mean_files),
                    decimal_fr(previous.mean_files),
                    changes["mean_files"],
                ),
                _against(current.first, previous.first, changes["first"]),
                _against(
                    decimal_fr(current.mean_doctors),
                    decimal_fr(previous.mean_doctors),
                    changes["mean_doctors"],
                ),
                f"<td>{change_pct(changes['files'])}{alert}</td>",
            )
        else:
            cells = (
                f"<td>{current.meetings}</td>",
                f"<td>{current.files}</td>",
                f"<td>{decimal_fr(current.mean_files)}</td>",
                f"<td>{current.first}</td>",
                f"<td>{decimal_fr(current.mean_doctors)}</td>",
                '<td><span class="hint">pas de données l’an dernier</span></td>',
            )
        if current.with_specialties:
            quorum = f"{current.quorum} sur {current.with_specialties}"
        else:
            quorum = '<span class="hint">non renseigné</span>'
        parts.append(
            ('<tr class="is-alert">' if row.alert else "<tr>")
            + f'\n      <th scope="row">{escape(capfirst(row.period.label))}</th>\n      '
            + "".join(f"\n      {cell}" for cell in cells)
            + f"\n      \n      <td>{quorum}</td>\n    </tr>"
        )
    # Numbers, fixed markup and the escaped period labels.
    return mark_safe("".join(parts))


def indicator_page(request):
    """Activity indicators per period against the year before, with alerts and a chart."""
    form = IndicatorForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "rcp/indicators.html", {"form": form}, status=400)
    settings, rows = _indicator_rows(form)
    query = request.GET.urlencode() if form.is_bound else ""
    return render(
        request,
        "rcp/indicators.html",
        {
            "form": form,
            "settings": settings,
            "perimeter": _perimeter(settings),
            "period_name": indicators.PERIOD_NAMES[settings["period"]],
            "rows": rows,
            "table_rows": _indicator_table_html(rows),
            "alerts": [r for r in rows if r.alert],
            "has_demo": any(r.current.demo or r.previous.demo for r in rows),
            "chart": charts.files_chart(rows, settings["period"]),
            "csv_url": reverse("rcp:indicators_csv") + (f"?{query}" if query else ""),
        },
    )


def _decimal(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


def indicator_csv(request):
    """The figures of the indicator page as CSV (semicolons, decimal commas, UTF-8)."""
    form = IndicatorForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Paramètres invalides.\n", status=400, content_type="text/plain; charset=utf-8"
        )
    settings, rows = _indicator_rows(form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"indicateurs-rcp-{settings['period']}-{settings['today']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "perimetre",
            "periode",
            "debut",
            "fin",
            "en_cours",
            "reunions",
            "dossiers_discutes",
            "dossiers_par_reunion",
            "premieres_presentations",
            "medecins_par_reunion",
            "reunions_annee_precedente",
            "dossiers_annee_precedente",
            "dossiers_par_reunion_annee_precedente",
            "premieres_presentations_annee_precedente",
            "medecins_par_reunion_annee_precedente",
            "evolution_dossiers_pct",
            "evolution_reunions_pct",
            "evolution_dossiers_par_reunion_pct",
            "evolution_premieres_presentations_pct",
            "evolution_medecins_par_reunion_pct",
            "alerte",
            "reunions_avec_specialites",
            "reunions_au_quorum",
            "donnees_de_demonstration",
        ]
    )
    perimeter = _perimeter(settings)
    for row in rows:
        current, previous = row.current, row.previous
        writer.writerow(
            [
                perimeter,
                row.period.label,
                row.period.start.isoformat(),
                row.period.end.isoformat(),
                "oui" if row.period.in_progress else "non",
                current.meetings,
                current.files,
                _decimal(current.mean_files),
                current.first,
                _decimal(current.mean_doctors),
                previous.meetings,
                previous.files,
                _decimal(previous.mean_files),
                previous.first,
                _decimal(previous.mean_doctors),
                _decimal(row.changes["files"]),
                _decimal(row.changes["meetings"]),
                _decimal(row.changes["mean_files"]),
                _decimal(row.changes["first"]),
                _decimal(row.changes["mean_doctors"]),
                "oui" if row.alert else "non",
                current.with_specialties,
                current.quorum,
                "oui" if current.demo or previous.demo else "non",
            ]
        )
    return response
