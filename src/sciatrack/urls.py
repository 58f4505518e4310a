from django.contrib import admin
from django.urls import include, path

from sciatrack import views
from sciatrack.api import api
from sciatrack.clinic.invitations import accept_invitation

# The API comes first: the guided session posts to it and scripts call it, and Django tries the
# patterns in order, so every pattern before it is tried and fails on each call.
urlpatterns = [
    path("api/", api.urls),
    # FHIR R4 (issue 24): the read-only API, and the record downloads of the account and clinic pages
    # (their views live with the FHIR mapping, which the accounts and clinic rooms do not import).
    path("fhir/R4/", include("sciatrack.fhir.urls")),
    path("", include("sciatrack.fhir.downloads")),
    path("", views.home, name="home"),
    # Installable and offline: the manifest, the service worker (at the root, for its scope), its page.
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/", views.offline_page, name="offline"),
    path("exercises/", include("sciatrack.library.urls")),
    path("check/", include("sciatrack.check.urls")),
    path("safety/", include("sciatrack.check.safety_urls")),
    path("", include("sciatrack.program.urls")),
    path("", include("sciatrack.progress.urls")),
    path("accounts/", include("sciatrack.accounts.urls")),
    path("reminders/", include("sciatrack.nudges.urls")),
    path("clinic/registry/", include("sciatrack.registry.urls")),
    path("clinic/", include("sciatrack.clinic.urls")),
    path("invite/<str:key>/", accept_invitation, name="accept-invitation"),
    path("admin/", admin.site.urls),
]
