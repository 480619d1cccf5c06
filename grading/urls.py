from grading.views import cases, documents, enterprise, reviews

app_name = "grading"
urlpatterns = [*cases.urlpatterns, *enterprise.urlpatterns, *reviews.urlpatterns, *documents.urlpatterns]
