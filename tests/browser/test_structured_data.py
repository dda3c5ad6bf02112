"""JSON-LD under the strict CSP, in Chromium: the data blocks are read, never
refused (a data block is not run, so script-src does not apply), and the
API documentation (vendored Swagger UI) starts without any CSP violation."""

import json

import pytest

from centres.models import Centre
from trials.models import Trial

pytestmark = pytest.mark.browser

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""
READ_JSON_LD = """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
  .map((s) => s.textContent)"""


def test_centre_and_trial_pages_give_json_ld_without_csp_violation(open_context):
    context = open_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    centre = Centre.objects.published().first()
    trial = Trial.objects.published().first()
    for url, kind in (
        (centre.get_absolute_url(), "Hospital"),
        (trial.get_absolute_url(), "MedicalTrial"),
    ):
        page.goto(url, wait_until="load")
        blocks = page.evaluate(READ_JSON_LD)
        assert [json.loads(b)["@type"] for b in blocks] == [kind]
        assert page.evaluate("window.__csp") == [], url


def test_the_api_documentation_starts_under_the_csp(open_context):
    context = open_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto("/api/docs/", wait_until="load")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() >= 11
    assert page.evaluate("window.__csp") == []
