"""The public portal, mounted at /public/ (namespace ``portal``).

``portal:certificate_verify`` (kwarg ``public_id``) is the address the certificate PDF's QR
code points to: keep its name and shape.
"""

from django.urls import path

from portal.views import public

app_name = "portal"
urlpatterns = [
    path("", public.home, name="home"),
    path("articles/", public.article_list, name="article_list"),
    path("articles/<int:pk>/", public.article_detail, name="article_detail"),
    path(
        "articles/<int:pk>/attachments/<int:attachment_id>/",
        public.article_attachment,
        name="article_attachment",
    ),
    path("publicity/", public.publicity_list, name="publicity_list"),
    path("publicity/<int:pk>/", public.publicity_detail, name="publicity_detail"),
    path("publicity/entries/<int:pk>/objection/", public.objection, name="objection"),
    path("publicity/objection/receipt/", public.objection_receipt, name="objection_receipt"),
    path("announcements/", public.announcement_list, name="announcement_list"),
    path("announcements/<int:pk>/", public.announcement_detail, name="announcement_detail"),
    path("announcements/<int:pk>/pdf/", public.announcement_pdf, name="announcement_pdf"),
    path("certificates/", public.certificate_search, name="certificate_search"),
    path("certificates/<str:public_id>/", public.certificate_verify, name="certificate_verify"),
]
