"""The application list, detail, timeline and exports."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from grading.permissions import get_application_for_user


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    return render(request, "grading/application_detail.html", {"application": application})


urlpatterns = [
    path("<int:pk>/", application_detail, name="detail"),
]
