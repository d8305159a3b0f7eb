"""Page URLs: each area of the site keeps its own list."""

from django.urls import path

from peerladder.web import (
    about_pages,
    account_pages,
    case_pages,
    docs_pages,
    edit_pages,
    history_pages,
    insights_pages,
    ladder_pages,
    search_pages,
    translation_pages,
    views,
    vocabulary_pages,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Before case_pages: /cases/new would otherwise be read as the case "new".
    *edit_pages.urlpatterns,
    # Early: Django tries the patterns in order, and the case page is the page most
    # asked for (each pattern tried before it cost it about 3 µs).
    *case_pages.urlpatterns,
    path("status", views.status_page, name="status"),
    *ladder_pages.urlpatterns,
    *translation_pages.urlpatterns,
    *account_pages.urlpatterns,
    *history_pages.urlpatterns,
    *insights_pages.urlpatterns,
    *about_pages.urlpatterns,
    *search_pages.urlpatterns,
    *docs_pages.urlpatterns,
    *vocabulary_pages.urlpatterns,
]
