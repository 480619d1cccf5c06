"""Pages of rectification under /rectification/: nouns are pages, verbs are POST-only moves."""

from django.urls import path

from rectification.views import card, hazards, ledger, plans

app_name = "rectification"
urlpatterns = [
    path("", ledger.ledger_view, name="ledger"),
    path("export.xlsx", ledger.ledger_export, name="export"),
    # 一企一策 and the enterprise's register.
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/hazards/new/", plans.plan_hazard_new, name="plan_hazard_new"),
    path("enterprises/<int:pk>/", plans.enterprise_register, name="enterprise"),
    path("enterprises/<int:pk>/hazards/new/", plans.enterprise_hazard_new, name="hazard_new"),
    # One hazard and its loop.
    path("hazards/<int:pk>/", hazards.hazard_detail, name="hazard"),
    path("hazards/<int:pk>/history/", hazards.hazard_history_fragment, name="history"),
    path("hazards/<int:pk>/edit/", hazards.hazard_edit, name="hazard_edit"),
    path("hazards/<int:pk>/start/", hazards.hazard_start_view, name="start"),
    path("hazards/<int:pk>/progress/", hazards.progress_view, name="progress"),
    path("hazards/<int:pk>/evidence/", hazards.evidence_view, name="evidence_add"),
    path("hazards/<int:pk>/evidence/<int:evidence_pk>/", hazards.evidence_download, name="evidence"),
    path("hazards/<int:pk>/submit/", hazards.submit_view, name="submit"),
    path("hazards/<int:pk>/verify/", hazards.verify_view, name="verify"),
    path("hazards/<int:pk>/extension/", hazards.extension_request_view, name="extension_request"),
    path(
        "hazards/<int:pk>/extensions/<int:extension_pk>/decide/",
        hazards.extension_decide_view,
        name="extension_decide",
    ),
    path("hazards/<int:pk>/escalate/", hazards.escalation_open_view, name="escalate"),
    path(
        "hazards/<int:pk>/escalations/<int:order_pk>/close/",
        hazards.escalation_close_view,
        name="escalation_close",
    ),
    # The application's rectification moves (from the plan's card on the case page).
    path("applications/<int:pk>/submit/", card.submit_view, name="application_submit"),
    path("applications/<int:pk>/confirm/", card.confirm_view, name="application_confirm"),
    path("applications/<int:pk>/fail/", card.fail_view, name="application_fail"),
]
