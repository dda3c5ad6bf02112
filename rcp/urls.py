from django.urls import path

from . import feeds, views

app_name = "rcp"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("calendrier/", views.calendar, name="calendar"),
    path("quelle-rcp/", views.guide, name="guide"),
    path("indicateurs/", views.indicator_page, name="indicators"),
    path("indicateurs.csv", views.indicator_csv, name="indicators_csv"),
    path("agenda.ics", feeds.all_rcps, name="feed_all"),
    path("axe/<slug:slug>.ics", feeds.axis, name="feed_axis"),
    path("centre/<slug:slug>.ics", feeds.centre, name="feed_centre"),
    path("<slug:slug>.ics", feeds.rcp, name="feed_rcp"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/fiche-dossier/", views.case_form, name="case_form"),
]
