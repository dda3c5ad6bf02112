"""The site shell: home page, uploaded files (the audience, contact and legal
pages are editable pages of the content app)."""

import os

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views import static

from centres.models import Axis, Centre, Role
from core.maps import france_map
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
    centres = list(Centre.objects.published().for_listing())
    pilot = next((c for c in centres if c.kind == Centre.Kind.PILOT), None)
    national = (
        Role.objects.public()
        .filter(kind=Role.Kind.NATIONAL_COORDINATOR)
        .select_related("person")
        .first()
    )
    regions = {c.department.region for c in centres}
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
                "overseas_regions": sum(1 for r in regions if r.is_overseas),
                "departments": len({c.department_id for c in centres}),
            },
            "map": france_map(centres),
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
