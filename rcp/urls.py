from django.urls import path

from . import feeds, views

app_name = "rcp"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("calendrier/", views.calendar, name="calendar"),
    path("quelle-rcp/", views.guide, name="guide"),
    path("indicateurs/", views.indicator_page, name="indicators"),
    path("indicateurs.csv", views.indicator_csv, name="indicators_csv"),
    path("abonnement/", feeds.chosen, name="subscription"),
    path("agenda.ics", feeds.all_rcps, name="feed_all"),
    path("axe/<slug:slug>.ics", feeds.axis, name="feed_axis"),
    path("centre/<slug:slug>.ics", feeds.centre, name="feed_centre"),
    path("echeances.ics", feeds.all_deadlines, name="deadlines_all"),
    path("echeances/axe/<slug:slug>.ics", feeds.axis_deadlines, name="deadlines_axis"),
    path("echeances/centre/<slug:slug>.ics", feeds.centre_deadlines, name="deadlines_centre"),
    path("echeances/<slug:slug>.ics", feeds.rcp_deadlines, name="deadlines_rcp"),
    path("<slug:slug>.ics", feeds.rcp, name="feed_rcp"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/fiche-dossier/", views.case_form, name="case_form"),
]
