"""REST operations on the caller's own notifications (/api/v1/notifications).

Nobody reads or marks anyone else's: the list starts from ``notification_list(user=…)`` and
marking goes through ``notification_mark_read``, which only touches the caller's rows (ids of
other people's notifications are ignored, never reported, so their existence stays secret).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from lib.api import ERRORS
from notifications.selectors import notification_list, unread_count
from notifications.services import notification_mark_read

router = Router(tags=["notifications"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_IDS = 1000


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str = Field(description=gettext_lazy("Path of the page the notification is about; may be empty."))
    category: str
    created_at: datetime
    read_at: datetime | None = Field(description=gettext_lazy("When it was read; null while unread."))


class NotificationListOut(Schema):
    count: int = Field(description=gettext_lazy("Number of notifications matching the filter, on all pages."))
    unread: int = Field(description=gettext_lazy("Number of your unread notifications."))
    items: list[NotificationOut]


class NotificationListParams(Schema):
    unread: bool = Field(False, description=gettext_lazy("Only the unread notifications."))
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class NotificationReadIn(Schema):
    ids: list[int] | None = Field(
        None, max_length=MAX_IDS, description=gettext_lazy("Ids of your notifications to mark as read.")
    )
    all: bool = Field(False, description=gettext_lazy("Mark all your unread notifications as read."))


class NotificationReadOut(Schema):
    marked: int = Field(
        description=gettext_lazy("Number of notifications that were unread and are now read.")
    )
    unread: int = Field(description=gettext_lazy("Number of your unread notifications left."))


@router.get(
    "/",
    response={200: NotificationListOut, **ERRORS},
    summary=gettext_lazy("List your notifications"),
    description=gettext_lazy("Your own notifications, newest first."),
)
def list_notifications(request: HttpRequest, params: Query[NotificationListParams]):
    user = request.auth
    rows = notification_list(user=user, unread_only=params.unread)
    return {
        "count": rows.count(),
        "unread": unread_count(user),
        "items": list(rows[params.offset : params.offset + params.limit]),
    }


@router.post(
    "/read",
    response={200: NotificationReadOut, **ERRORS},
    summary=gettext_lazy("Mark notifications as read"),
    description=gettext_lazy('Send {"ids": [...]} for some of your notifications, or {"all": true} for all.'),
)
def mark_notifications_read(request: HttpRequest, payload: NotificationReadIn):
    user = request.auth
    if payload.all == (payload.ids is not None):
        raise ValidationError({"ids": [_('Send either "ids" or "all": true.')]})
    marked = notification_mark_read(user=user, ids=None if payload.all else payload.ids)
    return {"marked": marked, "unread": unread_count(user)}
