"""``{% application_documents_panel application as panel %}``: the documents card's data.

The panel comes from ``grading.selectors.documents_panel``; the request's user (when the
template has a request) decides whether a draft county opinion may be previewed.
"""

from django import template

from grading.selectors import DocumentsPanel, documents_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def application_documents_panel(context, application) -> DocumentsPanel:
    request = context.get("request")
    return documents_panel(application, user=getattr(request, "user", None))
