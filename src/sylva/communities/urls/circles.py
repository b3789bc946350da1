from django.urls import path

from sylva.communities.views import circles as v

urlpatterns = [
    path("circles/", v.circles, name="circles"),
    path("circles/new/", v.new_circle, name="new_circle"),
    path("circles/from-requests/", v.from_requests, name="circle_from_requests"),
    path("circles/<int:pk>/", v.circle, name="circle"),
    path("circles/<int:pk>/open/", v.open_circle, name="circle_open"),
    path(
        "circles/<int:pk>/decline-facilitation/",
        v.decline_facilitation,
        name="circle_decline_facilitation",
    ),
    path("circles/<int:pk>/join/", v.join, name="circle_join"),
    path("circles/<int:pk>/leave/", v.leave, name="circle_leave"),
    path("circles/<int:pk>/accept/", v.accept, name="circle_accept"),
    path("circles/<int:pk>/decline/", v.decline, name="circle_decline"),
    path("circles/<int:pk>/invite/", v.invite, name="circle_invite"),
    path("circles/<int:pk>/goal/", v.goal, name="circle_goal"),
    path("circles/<int:pk>/goal-rating/", v.rate_goal, name="circle_rate_goal"),
    path("circles/<int:pk>/sessions/", v.schedule, name="circle_schedule"),
    path("circles/<int:pk>/close/", v.close, name="circle_close"),
    path("circles/sessions/<int:sid>/", v.session, name="circle_session"),
    path("circles/sessions/<int:sid>/attendance/", v.attendance, name="circle_attendance"),
    path("circles/sessions/<int:sid>/reflect/", v.reflect, name="circle_reflect"),
    path("circles/sessions/<int:sid>/move/", v.move, name="circle_move"),
    path("circles/sessions/<int:sid>/cancel/", v.cancel, name="circle_cancel"),
    path("circles/sessions/<int:sid>/invite.ics", v.ics, name="circle_ics"),
]
