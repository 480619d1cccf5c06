"""Background tasks of grading: rendering the case's PDFs after the move that calls for them."""

from django.contrib.auth import get_user_model
from django_tasks import task

from grading.documents import render_document
from grading.models import GradingApplication
from grading.services import document_store


@task()
def generate_document(application_id: int, kind: str, actor_id: int, reason: str = "") -> str:
    """Render document ``kind`` of the application from its data and keep it as a new version."""
    application = GradingApplication.objects.select_related("enterprise", "standard", "self_sheet").get(
        pk=application_id
    )
    actor = get_user_model().objects.get(pk=actor_id)
    content = render_document(application, kind)
    doc = document_store(actor=actor, application=application, kind=kind, content=content, reason=reason)
    return f"{kind} v{doc.version}"
