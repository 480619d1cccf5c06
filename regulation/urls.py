from django.urls import path

from regulation import views

app_name = "regulation"

urlpatterns = [
    path("", views.parameter_list, name="parameter_list"),
    path("<slug:key>/set/", views.parameter_set, name="parameter_set"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_day_delete, name="calendar_day_delete"),
]
