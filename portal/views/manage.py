"""The city section's pages for the portal's articles (/portal/manage/).

Login is required (the middleware); anyone but a city officer or the chief gets 404.
Publishing and withdrawing are POST-only verbs; a second click finds the article already moved
and changes nothing (the flow's compare-and-set), saying so.
"""

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.forms import add_service_errors
from lib.uploads import stored_file_response
from lib.workflow import TransitionError, available_transitions
from lib.xlsx import xlsx_response
from portal import services
from portal.exports import render_article_list_xlsx
from portal.forms import ArticleFilterForm, ArticleForm, AttachmentForm
from portal.permissions import get_article_for_user, get_attachment_for_user, require_article_manager
from portal.selectors import article_attachments, article_list
from portal.workflow import ARTICLE_FLOW


@require_GET
def article_list_view(request: HttpRequest) -> HttpResponse:
    require_article_manager(request.user)
    form = ArticleFilterForm(request.GET)
    articles = article_list(user=request.user, filters=form.filters())
    page_obj = Paginator(articles, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/manage/article_list.html", {"form": form, "page_obj": page_obj})


@require_GET
def article_export(request: HttpRequest) -> HttpResponse:
    """Excel of the filtered list (same query string as the list)."""
    require_article_manager(request.user)
    form = ArticleFilterForm(request.GET)
    articles = article_list(user=request.user, filters=form.filters())
    filename = _("Portal articles %(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(render_article_list_xlsx(articles.iterator(chunk_size=500)), filename)


@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    require_article_manager(request.user)
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved the draft. Add attachments, then publish it."))
            return redirect("portal_manage:article_edit", pk=article.pk)
    return render(request, "portal/manage/article_form.html", {"form": form, "article": None})


@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    initial = asdict(services.article_data(article))
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(actor=request.user, article=article, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved the changes."))
            return redirect("portal_manage:article_edit", pk=article.pk)
    return _edit_page(request, article, form, AttachmentForm())


def _edit_page(request, article, form, attachment_form, status: int = 200) -> HttpResponse:
    context = {
        "article": article,
        "form": form,
        "attachment_form": attachment_form,
        "attachments": article_attachments(article),
        "moves": available_transitions(article, ARTICLE_FLOW, request.user),
    }
    return render(request, "portal/manage/article_form.html", context, status=status)


@require_POST
def article_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """Publish or withdraw; a move the article is no longer in a state for changes nothing."""
    article = get_article_for_user(request.user, pk)
    action = {"publish": services.article_publish, "withdraw": services.article_withdraw}[move]
    try:
        action(actor=request.user, article=article)
    except TransitionError as exc:
        messages.warning(request, exc.message)
    else:
        done = (
            _("Published: the article is on the public portal.")
            if move == "publish"
            else _("Withdrawn: the article is no longer on the public portal.")
        )
        messages.success(request, done)
    return redirect("portal_manage:article_edit", pk=article.pk)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                actor=request.user, article=article, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "file")
        else:
            messages.success(request, _("Attached %(name)s.") % {"name": attachment.original_name})
            return redirect("portal_manage:article_edit", pk=article.pk)
    article_form = ArticleForm(initial=asdict(services.article_data(article)))
    return _edit_page(request, article, article_form, form)


@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, article, attachment_id)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
    return redirect("portal_manage:article_edit", pk=article.pk)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, article, attachment_id)
    return stored_file_response(attachment.file, attachment.original_name)
