"""The site's URL map: pages, the JSON API under /api/, the admin; the error pages."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from peerladder.api.main import api
from peerladder.web import language

# The pages are in English at their bare addresses and in every other language under
# its prefix (/es/cases); the API, the admin and the machines' addresses have no prefix.
urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("language", language.choose_language, name="language"),
    path("", include("peerladder.web.machine_urls")),
    *i18n_patterns(path("", include("peerladder.web.urls")), prefix_default_language=False),
]

# Error pages in the site's layout (web/error_pages.py).
handler400 = "peerladder.web.error_pages.bad_request"
handler403 = "peerladder.web.error_pages.permission_denied"
handler404 = "peerladder.web.error_pages.page_not_found"
handler500 = "peerladder.web.error_pages.server_error"
