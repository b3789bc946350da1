"""The communities under /api/v1/communities/: one router per area."""

from ninja import Router

from sylva.communities.api import (
    capture,
    circles,
    feedback,
    projects,
    qa,
    routing,
    search,
    situations,
    spaces,
)

router = Router(tags=["communities"])
router.add_router("", spaces.router)
router.add_router("", qa.router)
router.add_router("/circles", circles.router)
router.add_router("/projects", projects.router)
router.add_router("/situations", situations.router)
router.add_router("/feedback", feedback.router)
router.add_router("", routing.router)
router.add_router("/search", search.router)
router.add_router("", capture.router)
