"""Downloads of an application's files: generated PDFs, live previews, uploaded attachments.

Everyone who may view the application may download them; outsiders get 404, like the
application itself. The stored files are streamed from MEDIA_ROOT, which is never served.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from grading.documents import DocumentUnavailable, document_filename, preview_filename, render_document
from grading.models import GeneratedDocument
from grading.permissions import get_application_for_user
from grading.selectors import application_attachment, application_document, previewable_kinds
from lib.uploads import stored_file_response
from lib.xlsx import content_disposition


@require_GET
def document_download(request: HttpRequest, pk: int, doc_id: int) -> HttpResponse:
    """A stored version of a generated document, named like ``DJ20260001-自评报告-v2.pdf``."""
    application = get_application_for_user(request.user, pk)
    document = application_document(application, doc_id, user=request.user)
    if document is None:
        raise Http404
    return stored_file_response(document.file, document_filename(document))


@require_GET
def document_preview(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Render a document from the case's current data, shown inline in the browser.

    The self-assessment report always; the others once a version the user may read is stored.
    County and city reviewers also preview the county opinion being drafted; the enterprise
    never sees a draft, nor a correction notice the city addressed to the county.
    """
    application = get_application_for_user(request.user, pk)
    if kind not in GeneratedDocument.Kind.values or kind not in previewable_kinds(
        application, user=request.user
    ):
        raise Http404
    try:
        content = render_document(application, kind, viewer=request.user)
    except DocumentUnavailable as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(preview_filename(application, kind)).replace(
        "attachment", "inline", 1
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """An uploaded attachment (any version) under its original name."""
    application = get_application_for_user(request.user, pk)
    attachment = application_attachment(application, attachment_id)
    if attachment is None:
        raise Http404
    return stored_file_response(attachment.file, attachment.original_name)


urlpatterns = [
    path("<int:pk>/documents/<int:doc_id>/", document_download, name="document"),
    path("<int:pk>/documents/<slug:kind>/preview.pdf", document_preview, name="document_preview"),
    path("<int:pk>/attachments/<int:attachment_id>/", attachment_download, name="attachment"),
]
