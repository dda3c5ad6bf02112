"""Former slugs of RCPs, from their history (django-simple-history), so that
the addresses of an RCP's page and feeds survive a change of its slug."""

from .models import Rcp


def former_rcp(slug: str) -> Rcp | None:
    """The published RCP that last had this slug, when no RCP has it now."""
    history = Rcp.history.model.objects.filter(slug=slug).order_by("-history_date")
    ids = list(history.values_list("id", flat=True)[:20])
    if not ids:
        return None
    found = {rcp.pk: rcp for rcp in Rcp.objects.published().filter(pk__in=ids).only("pk", "slug")}
    return next((found[pk] for pk in ids if pk in found and found[pk].slug != slug), None)


def current_slugs(slugs: list[str]) -> dict[str, str]:
    """{former slug: current slug} for those of these slugs that no RCP has
    now but a published RCP had (three queries at most, whatever their number)."""
    taken = set(Rcp.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = [slug for slug in slugs if slug not in taken]
    if not missing:
        return {}
    rows = (
        Rcp.history.model.objects.filter(slug__in=missing)
        .order_by("-history_date")
        .values_list("slug", "id")[: 20 * len(missing)]
    )
    holders: dict[str, list[int]] = {}
    for slug, pk in rows:
        holders.setdefault(slug, []).append(pk)
    if not holders:
        return {}
    ids = {pk for pks in holders.values() for pk in pks}
    now = dict(Rcp.objects.published().filter(pk__in=ids).values_list("pk", "slug"))
    renamed = {}
    for slug, pks in holders.items():
        pk = next((pk for pk in pks if pk in now), None)
        if pk is not None:
            renamed[slug] = now[pk]
    return renamed
