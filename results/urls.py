"""Pages of results under /results/: nouns are pages, verbs are POST-only moves."""

from django.urls import path

from results.views import announcements, batches, card, certificates, objections, revocations

app_name = "results"
urlpatterns = [
    # Publicity batches (公示) and their moves.
    path("batches/", batches.batch_list_view, name="batches"),
    path("batches/new/", batches.batch_create_view, name="batch_create"),
    path("batches/<int:pk>/", batches.batch_detail_view, name="batch"),
    path("batches/<int:pk>/edit/", batches.batch_edit_view, name="batch_edit"),
    path("batches/<int:pk>/submit/", batches.batch_submit_view, name="batch_submit"),
    path("batches/<int:pk>/send-back/", batches.batch_send_back_view, name="batch_send_back"),
    path("batches/<int:pk>/approve/", batches.batch_approve_view, name="batch_approve"),
    path("batches/<int:pk>/announce/", batches.batch_announce_view, name="batch_announce"),
    # Objections (异议).
    path("objections/", objections.objection_list_view, name="objections"),
    path("objections/<int:pk>/", objections.objection_detail_view, name="objection"),
    path("objections/<int:pk>/decide/", objections.objection_decide_view, name="objection_decide"),
    path(
        "objections/<int:pk>/attachments/<int:attachment_pk>/",
        objections.objection_attachment_view,
        name="objection_attachment",
    ),
    # Announcements (公告).
    path("announcements/", announcements.announcement_list_view, name="announcements"),
    path("announcements/<int:pk>/", announcements.announcement_detail_view, name="announcement"),
    path("announcements/<int:pk>/pdf/", announcements.announcement_pdf_view, name="announcement_pdf"),
    # Certificates (证书), renewal, the yearly self-assessment, the revocation flag.
    path("certificates/", certificates.certificate_list_view, name="certificates"),
    path("certificates/<int:pk>/", certificates.certificate_detail_view, name="certificate"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf_view, name="certificate_pdf"),
    path("certificates/<int:pk>/renewal/", certificates.renewal_start_view, name="renewal_start"),
    path(
        "certificates/<int:pk>/self-assessment/",
        certificates.assessment_start_view,
        name="assessment_start",
    ),
    path(
        "certificates/<int:pk>/self-assessment/<int:assessment_pk>/file/",
        certificates.assessment_submit_view,
        name="assessment_submit",
    ),
    path("certificates/<int:pk>/flag/", certificates.revocation_flag_view, name="revocation_flag"),
    # Revocation cases (撤销).
    path("revocations/", revocations.revocation_list_view, name="revocations"),
    path("revocations/<int:pk>/", revocations.revocation_detail_view, name="revocation"),
    path("revocations/<int:pk>/decide/", revocations.revocation_decide_view, name="revocation_decide"),
    # The application's result (from the card on the case page).
    path("applications/<int:pk>/fail/", card.result_fail_view, name="result_fail"),
]
