"""The portal's URLs: the site shell here, each app under its own prefix."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from accounts.forms import PasswordResetForm
from centres.admin_scoping import view_on_site
from content import views as content_views

from . import review, seo, sitemaps, views

admin.site.site_header = "PAN-TOGETHER — administration"
admin.site.site_title = "PAN-TOGETHER"
admin.site.index_title = "Contenus du réseau"
# The password-reset pages extend the admin's templates, which print these.
ADMIN_LOOK = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

urlpatterns = [
    path("", views.home, name="home"),
    # Audience and legal pages: editable pages (content app), text kept in the admin.
    path("patients/", content_views.patients, name="patients"),
    path("medecins/", content_views.doctors, name="doctors"),
    path("mentions-legales/", content_views.legal, name="legal"),
    path("contact/", content_views.contact, name="contact"),
    path("accessibilite/", content_views.accessibility, name="accessibility"),
    path("donnees-personnelles/", content_views.privacy, name="privacy"),
    path("centres/", include("centres.urls")),
    path("rcp/", include("rcp.urls")),
    path("essais/", include("trials.urls")),
    path("api/", include("opendata.api.urls")),
    path("donnees-ouvertes/", include("opendata.urls")),
    path("", include("content.urls")),
    path("recherche/", include("search.urls")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", seo.robots, name="robots"),
    path("admin/revue/", admin.site.admin_view(review.review_desk), name="review_desk"),
    # Django's « voir sur le site » shortcut, limited to the objects the user may change.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site(admin.site)),
    ),
    # Accounts: the second factor, and password reset (also the invitation's link).
    path("admin/compte/", include("accounts.urls")),
    path(
        "admin/mot-de-passe/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            extra_context=ADMIN_LOOK,
        ),
        name="admin_password_reset",
    ),
    path(
        "admin/mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_done",
    ),
    path(
        "admin/mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_confirm",
    ),
    path(
        "admin/mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_LOOK),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:centres|people|actualites)/[\w.-]+)$",
            views.media,
        ),
    ]
