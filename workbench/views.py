"""The workbench: where every role lands after logging in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import user_scope_label
from lib.workbench import todos_for
from workbench.selectors import group_todos


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    groups = group_todos(todos_for(user))
    context = {
        "groups": groups,
        "total": sum(t.count for group in groups for t in group.todos),
        "scope": user_scope_label(user),
    }
    return render(request, "workbench/home.html", context)
