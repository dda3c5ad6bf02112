from django.urls import path, re_path

from . import docs, views

app_name = "api"

urlpatterns = [
    path("", views.Index.as_view(), name="index"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("axes/", views.AxisList.as_view(), name="axes"),
    path("regions/", views.RegionList.as_view(), name="regions"),
    path("departements/", views.DepartmentList.as_view(), name="departments"),
    path("centres/", views.CentreList.as_view(), name="centres"),
    path("centres/<slug:slug>/", views.CentreDetail.as_view(), name="centre"),
    path("personnes/", views.PersonList.as_view(), name="people"),
    path("rcp/", views.RcpList.as_view(), name="rcps"),
    path("rcp/<slug:slug>/", views.RcpDetail.as_view(), name="rcp"),
    path("essais/", views.TrialList.as_view(), name="trials"),
    # At most 18 digits, as the trial pages: a longer number overflows the database's integer.
    re_path(r"^essais/(?P<pk>[0-9]{1,18})/$", views.TrialDetail.as_view(), name="trial"),
    # Anything else (a slug with characters no slug has...): a JSON 404, not the HTML page.
    re_path(r"^(?P<path>.*)$", views.NotFound.as_view(), name="not_found"),
]
