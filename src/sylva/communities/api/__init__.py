"""The communities under /api/v1/communities/: one router per area."""

from ninja import Router

from sylva.communities.api import circles, feedback, projects, qa, situations, spaces

router = Router(tags=["communities"])
router.add_router("", spaces.router)
router.add_router("", qa.router)
router.add_router("/circles", circles.router)
router.add_router("/projects", projects.router)
router.add_router("/situations", situations.router)
router.add_router("/feedback", feedback.router)
