"""The site shell: home page, uploaded files (the audience, contact and legal
pages are editable pages of the content app)."""

import os

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views import static

from centres.models import Axis, Centre, CentreAxis, Role
from core.maps import DEFAULT_COLOUR, Point, draw
from trials.models import Trial


def home(request):
    """The network at a glance: axes, pilot and referent centres, figures, map.

    An axis's referent centre that is unpublished is not named (`public_referent`
    is None), nor is anyone through a role at an unpublished centre (the axis
    coordination there, the national coordination): `Role.objects.public()`.
    """
    axes = list(
        Axis.objects.select_related("referent_centre").prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.public()
                .filter(kind=Role.Kind.AXIS_COORDINATOR)
                .select_related("person")
                .order_by("order", "person__last_name"),
                to_attr="coordinator_roles",
            )
        )
    )
    # Published recruiting trials per axis, for the axis cards: one query.
    recruiting = Trial.objects.recruiting_counts_by_axis()
    for axis in axes:
        axis.recruiting_trials = recruiting.get(axis.pk, 0)
        referent = axis.referent_centre
        axis.public_referent = referent if referent is not None and referent.is_published else None
    # A thousand centres are read as plain rows (no model instances): the page
    # only counts them, names the pilot and draws them on the map.
    centres = list(
        Centre.objects.published().values_list(
            "pk",
            "slug",
            "name",
            "kind",
            "is_demo",
            "latitude",
            "longitude",
            "department__code",
            "department__region_id",
            "department__region__is_overseas",
            named=True,
        )
    )
    colours = {}
    for centre_id, colour in (
        CentreAxis.objects.filter(centre__is_published=True)
        .order_by("axis__order", "axis__name")
        .values_list("centre_id", "axis__colour")
    ):
        colours.setdefault(centre_id, []).append(colour)
    pilot = next(
        (
            {"name": c.name, "url": reverse("centres:detail", kwargs={"slug": c.slug})}
            for c in centres
            if c.kind == Centre.Kind.PILOT
        ),
        None,
    )
    national = (
        Role.objects.public()
        .filter(kind=Role.Kind.NATIONAL_COORDINATOR)
        .select_related("person")
        .first()
    )
    regions = {(c.department__region_id, c.department__region__is_overseas) for c in centres}
    # Demonstration rows are counted and drawn like the others: the page says so.
    demo_trials = Trial.objects.published().recruiting().filter(is_demo=True).exists()
    return render(
        request,
        "pages/home.html",
        {
            "axes": axes,
            "pilot": pilot,
            "national": national,
            "figures": {
                "centres": len(centres),
                "demo_centres": sum(1 for c in centres if c.is_demo),
                "regions": len(regions),
                "overseas_regions": sum(1 for _pk, overseas in regions if overseas),
                "departments": len({c.department__code for c in centres}),
            },
            "map": draw(
                [
                    Point(
                        c.latitude,
                        c.longitude,
                        tuple(colours.get(c.pk, ())) or (DEFAULT_COLOUR,),
                        c.department__code,
                    )
                    for c in centres
                ]
            ),
            "demo_trials": demo_trials,
        },
    )


# Longest file name the file systems we run on accept, in bytes (NAME_MAX).
MAX_FILE_NAME_BYTES = 255


def media(request, path):
    """An uploaded file, when no web server in front serves them (SERVE_MEDIA).

    A name longer than the file system allows cannot exist, but looking it up
    raises OSError "File name too long" (a 500): it is a 404 before the lookup.
    """
    if len(os.fsencode(os.path.basename(path))) > MAX_FILE_NAME_BYTES:
        raise Http404
    return static.serve(request, path, document_root=settings.MEDIA_ROOT)
