"""What the rectification pages share: the post-redirect, the enterprise flag of a page of rows."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from rectification.models import EscalationOrder, Hazard


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain POST; tell htmx to navigate instead (HX-Redirect, not a 302)."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def flagged_enterprises(enterprise_ids: Iterable[int]) -> set[int]:
    """Of these enterprises, those flagged (an open 督办 on a 重大 hazard): one query for a page
    of rows, the same rule as ``rectification.selectors.enterprise_flagged``."""
    ids = set(enterprise_ids)
    if not ids:
        return set()
    return set(
        EscalationOrder.objects.filter(
            hazard__enterprise_id__in=ids,
            status=EscalationOrder.Status.OPEN,
            hazard__level=Hazard.Level.MAJOR,
        ).values_list("hazard__enterprise_id", flat=True)
    )
