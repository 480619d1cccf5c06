from grading.views import cases

app_name = "grading"
urlpatterns = [*cases.urlpatterns]
