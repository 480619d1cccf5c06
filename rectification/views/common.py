"""What the rectification pages share: the post-redirect."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain POST; tell htmx to navigate instead (HX-Redirect, not a 302)."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
