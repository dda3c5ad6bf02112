"""Template tags of the trials app, also used by the centre page (centres never
imports trials: the centre template loads these tags)."""

from django import template
from django.utils.safestring import mark_safe

from trials import cards
from trials.models import EnrollmentType, Status, Trial
from trials.querysets import OPEN_SITE_STATUSES
from trials.registry_text import registry_html

register = template.Library()


@register.inclusion_tag("trials/centre_trials.html")
def trials_open_at(centre, heading_level=2):
    """The section "Essais cliniques ouverts dans ce centre": two queries whatever the count."""
    trials = list(
        Trial.objects.published()
        .recruiting()
        .with_site_at([centre.pk], site_statuses=OPEN_SITE_STATUSES[Status.RECRUITING])
        .prefetch_related("axes")
    )
    return {
        "centre": centre,
        "trials": trials,
        "level": heading_level,
        "card_level": heading_level + 1,
    }


@register.filter
def age_range(trial) -> str:
    """The age range in words ("De 18 à 75 ans"), or "" when the registry says nothing."""
    low, high = trial.min_age, trial.max_age
    if low and high:
        return f"De {low} à {high}\u00a0ans"
    if low:
        return f"À partir de {low}\u00a0ans"
    if high:
        return f"Jusqu’à {high}\u00a0ans"
    return ""


@register.filter
def trial_status_class(trial) -> str:
    """The trial's status class; an unverified status is never styled as open."""
    if trial.status_is_unverified:
        return "status-soon"
    return status_class(trial.status)


@register.filter
def site_status_class(site) -> str:
    """A site's status class, never open when its trial's status is unverified."""
    if site.trial.status_is_unverified:
        return "status-soon"
    return status_class(site.effective_status)


@register.filter
def status_class(status: str) -> str:
    """A CSS class per status family: open, soon, closed."""
    return cards.status_class(status)


@register.filter
def registry_markdown(text) -> str:
    """The registry's Markdown-like text (criteria, summary), its lists rendered right."""
    return mark_safe(registry_html(text))  # noqa: S308 - sanitised by nh3


@register.filter
def enrollment_label(trial) -> str:
    """ "Participants prévus" or "Participants inclus", as the registry counts them."""
    if trial.enrollment_type == EnrollmentType.ACTUAL:
        return "Participants inclus"
    if trial.enrollment_type == EnrollmentType.ESTIMATED:
        return "Participants prévus"
    return "Nombre de participants indiqué par le registre"
