"""What the rectification pages share: the post-redirect, the enterprise flag of a page of rows."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from rectification.selectors import flagged_enterprises  # noqa: F401 - the pages import it from here


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain POST; tell htmx to navigate instead (HX-Redirect, not a 302)."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
