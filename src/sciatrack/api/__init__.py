"""The JSON API: one django-ninja instance, one router per area, OpenAPI docs at ``/api/docs``."""

from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from .body import BodyError, body_error_response
from .diary import router as diary_router
from .errors import unauthorized
from .exercises import router as exercises_router
from .sessions import router as sessions_router
from .triage import router as triage_router

api = NinjaAPI(
    title="Sciatrack API",
    version="1",
    description="Sciatica care: exercise library, safety screening and programs.",
    urls_namespace="api",
)
api.add_exception_handler(BodyError, body_error_response)
api.add_exception_handler(AuthenticationError, unauthorized)
api.add_router("/exercises", exercises_router)
api.add_router("/triage", triage_router)
api.add_router("/sessions", sessions_router)
api.add_router("/diary", diary_router)
