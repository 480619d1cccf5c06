"""Pages for logging in, one's own password and API tokens, and (for system admins) users,
regions and organisations. Each view: access check, form, one service call, redirect or render.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    OrganisationForm,
    OwnPasswordChangeForm,
    RegionForm,
    TokenCreateForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    UserPasswordResetForm,
)
from accounts.permissions import (
    get_organisation_for_user,
    get_region_for_user,
    get_token_for_user,
    get_user_for_user,
    require_account_manager,
)
from lib.forms import add_service_errors

GET_POST = require_http_methods(["GET", "POST"])


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))


# --- One's own password ----------------------------------------------------------------


@GET_POST
def password_change(request: HttpRequest) -> HttpResponse:
    forced = request.user.must_change_password
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["new_password1"],
                must_change=False,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "new_password1")
        else:
            # The password hash is part of the session; keep this session, end the others.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("workbench:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


# --- Users (system admins) -------------------------------------------------------------


def user_list(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    form = UserFilterForm(request.GET or None, user=request.user)
    filters = selectors.UserFilters(**form.cleaned_data) if form.is_valid() else selectors.UserFilters()
    page = _page(request, selectors.user_list(user=request.user, filters=filters))
    locked = set(selectors.locked_out_usernames(user=request.user))
    template = "accounts/_user_table.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, {"form": form, "page_obj": page, "locked": locked})


@GET_POST
def user_create(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, "password")
        else:
            messages.success(request, _("User %(username)s created.") % {"username": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New user")})


@GET_POST
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_user_for_user(request.user, pk)
    initial = {f: getattr(target, f) for f in ("full_name", "role", "phone", "email", "is_active")}
    initial["organisation"] = target.organisation_id
    form = UserEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, "role")
        else:
            messages.success(request, _("User %(username)s saved.") % {"username": target.username})
            return redirect("accounts:user_list")
    title = _("Edit user %(username)s") % {"username": target.username}
    return render(request, "accounts/user_form.html", {"form": form, "title": title, "target": target})


@GET_POST
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_user_for_user(request.user, pk)
    form = UserPasswordResetForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(
                actor=request.user, user=target, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "new_password1")
        else:
            messages.success(
                request,
                _("New password set for %(username)s; they must change it at next login.")
                % {"username": target.username},
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_password_reset.html", {"form": form, "target": target})


# --- Regions and organisations (system admins) -----------------------------------------


def region_list(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    return render(request, "accounts/region_list.html", {"rows": selectors.region_tree()})


@GET_POST
def region_create(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    return _region_form(request, None, initial={"parent": request.GET.get("parent"), "is_active": True})


@GET_POST
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk)
    fields = ("code", "name", "level", "sort_order", "is_active")
    return _region_form(
        request, region, initial={**{f: getattr(region, f) for f in fields}, "parent": region.parent_id}
    )


def _region_form(request: HttpRequest, region, initial: dict) -> HttpResponse:
    form = RegionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.region_save(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, "code")
        else:
            messages.success(request, _("Region %(name)s saved.") % {"name": saved.name})
            return redirect("accounts:region_list")
    title = _("Edit region %(name)s") % {"name": region.name} if region else _("New region")
    return render(request, "accounts/region_form.html", {"form": form, "title": title, "region": region})


def organisation_list(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    organisations = selectors.organisation_list(user=request.user)
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@GET_POST
def organisation_create(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    return _organisation_form(request, None, initial={"is_active": True})


@GET_POST
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, pk)
    fields = ("name", "kind", "section", "is_active")
    initial = {**{f: getattr(organisation, f) for f in fields}, "region": organisation.region_id}
    return _organisation_form(request, organisation, initial=initial)


def _organisation_form(request: HttpRequest, organisation, initial: dict) -> HttpResponse:
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "name")
        else:
            messages.success(request, _("Organisation %(name)s saved.") % {"name": saved.name})
            return redirect("accounts:organisation_list")
    title = (
        _("Edit organisation %(name)s") % {"name": organisation.name}
        if organisation
        else _("New organisation")
    )
    return render(request, "accounts/organisation_form.html", {"form": form, "title": title})


# --- API tokens (everyone, for themselves) ---------------------------------------------


def token_list(request: HttpRequest) -> HttpResponse:
    tokens = selectors.token_list(user=request.user)
    context = {"page_obj": _page(request, tokens), "now": timezone.now()}
    return render(request, "accounts/token_list.html", context)


@GET_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                actor=request.user, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "days")
        else:
            # The secret is rendered once, in this response, and never stored: don't let it be cached.
            response = render(request, "accounts/token_created.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/token_form.html", {"form": form})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("accounts:token_list")
