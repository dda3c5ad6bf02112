from django.urls import path

from . import feeds, views

app_name = "content"

urlpatterns = [
    path("actualites/", views.news_list, name="news"),
    path("actualites/flux.atom", feeds.NewsFeed(), name="news_feed"),
    path("actualites/<slug:slug>/", views.news_detail, name="news_detail"),
    path("documents/", views.documents, name="documents"),
    path("documents/<slug:slug>/telecharger/", views.document_download, name="document_download"),
    path("a-propos/", views.about, name="about"),
    path("glossaire/", views.glossary, name="glossary"),
]
