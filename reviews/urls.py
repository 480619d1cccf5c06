from django.urls import path

from reviews.views import panel, scoring

app_name = "reviews"
urlpatterns = [
    path("mine/", panel.my_panels, name="my_panels"),
    path("seats/<int:member_pk>/answer/", panel.member_respond_view, name="member_respond"),
    path("applications/<int:pk>/draw/", panel.panel_draw_view, name="draw"),
    path("applications/<int:pk>/approve/", panel.panel_approve_view, name="approve"),
    path("applications/<int:pk>/members/<int:member_pk>/replace/", panel.panel_replace_view, name="replace"),
    path("applications/<int:pk>/draws/<int:draw_pk>/", panel.draw_record, name="draw_record"),
    # The on-site review: schedule, opening, sign-in sheets, supervision.
    path("applications/<int:pk>/review/schedule/", panel.schedule_view, name="review_schedule"),
    path("applications/<int:pk>/review/open/", panel.open_view, name="review_open"),
    path("applications/<int:pk>/review/attendance/", panel.attendance_add_view, name="attendance_add"),
    path(
        "applications/<int:pk>/review/attendance/<int:row_pk>/remove/",
        panel.attendance_remove_view,
        name="attendance_remove",
    ),
    path("applications/<int:pk>/review/supervision/", panel.supervision_add_view, name="supervision_add"),
    # Scoring: sheets, assignment, consolidation, finalising, the chief's decision, ratings.
    path("applications/<int:pk>/scoring/", scoring.scoring_page, name="scoring"),
    path("applications/<int:pk>/scoring/assign/", scoring.assign_view, name="assign"),
    path("applications/<int:pk>/scoring/submit/", scoring.submit_view, name="sheet_submit"),
    path("applications/<int:pk>/scoring/conforming/", scoring.conforming_view, name="sheet_conforming"),
    path(
        "applications/<int:pk>/scoring/sheets/<int:sheet_pk>/reopen/",
        scoring.reopen_view,
        name="sheet_reopen",
    ),
    path("applications/<int:pk>/scoring/consolidate/", scoring.consolidate_view, name="consolidate"),
    path("applications/<int:pk>/scoring/reasons/", scoring.reason_view, name="reason"),
    path("applications/<int:pk>/scoring/finalise/", scoring.finalise_view, name="finalise"),
    path("applications/<int:pk>/scoring/fail/", scoring.fail_view, name="fail"),
    path("applications/<int:pk>/scoring/rate/<int:member_pk>/", scoring.rate_view, name="rate"),
]
