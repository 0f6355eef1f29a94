from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from langres_portal.core import health, hooks, staff_views, views

# --- Staff login (issue 11, item 7): second factor and password reset, under the admin's configurable path ---
ADMIN_URL = settings.ADMIN_URL
staff_login_urls = [
    path(f"{ADMIN_URL}deux-facteurs/", staff_views.verify, name="staff_2fa_verify"),
    path(f"{ADMIN_URL}deux-facteurs/activer/", staff_views.enrol, name="staff_2fa_enrol"),
    path(f"{ADMIN_URL}deux-facteurs/codes-de-secours/", staff_views.recovery_codes, name="staff_2fa_recovery_codes"),
    path(f"{ADMIN_URL}mot-de-passe-oublie/", staff_views.PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        f"{ADMIN_URL}mot-de-passe-oublie/envoye/",
        staff_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        f"{ADMIN_URL}nouveau-mot-de-passe/<uidb64>/<token>/",
        staff_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        f"{ADMIN_URL}nouveau-mot-de-passe/enregistre/",
        staff_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
# --- end staff login ---

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.page_view("contact", "core/contact.html"), name="contact"),
    path("mentions-legales/", views.page_view("mentions-legales"), name="legal_notice"),
    path("donnees-personnelles/", views.page_view("donnees-personnelles"), name="personal_data"),
    path("accessibilite/", views.page_view("accessibilite", "core/accessibility.html"), name="accessibility"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("pages/<slug:slug>/", views.standalone_page, name="page"),
    path("glossaire/", views.glossary, name="glossary"),
    path("facile-a-lire/<slug:slug>/", views.easy_read, name="easy_read"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sante/", health.health, name="health"),  # polled by the load balancer / monitoring (core.health)
    path("couleurs.css", views.theme_css, name="theme_css"),
    path("sitemap.xml", sitemap, {"sitemaps": hooks.all_sitemaps()}, name="sitemap"),
    path("quartiers/", include("quartiers.urls")),
    path("contrat-de-ville/", include("contrat_ville.urls")),
    path("microprojets/", include("microprojets.urls")),
    path("reussite-educative/", include("pre.urls")),
    *staff_login_urls,  # before the admin's own URLs: its last pattern catches every path under it
    path(ADMIN_URL, admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Public media only (photos, logos); private files live elsewhere and have no URL.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

# Every error page is French, on the site's layout (core/error.html), with its status.
handler400 = "langres_portal.core.views.bad_request"
# Under the admin's path, the admin's own French 403 that names the role to ask for (core.views.permission_denied).
handler403 = "langres_portal.core.views.permission_denied"
handler404 = "langres_portal.core.views.page_not_found"
handler500 = "langres_portal.core.views.server_error"
