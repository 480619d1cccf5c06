"""The article's transitions table: draft → published ⇄ withdrawn (compare-and-set)."""

from django.utils.translation import gettext_lazy as _

from lib.workflow import T, flow
from portal.models import Article
from portal.permissions import MANAGER_ROLES

S = Article.Status

ARTICLE_FLOW = flow(
    T("publish", {S.DRAFT, S.WITHDRAWN}, S.PUBLISHED, roles=MANAGER_ROLES, label=_("Publish")),
    T("withdraw", {S.PUBLISHED}, S.WITHDRAWN, roles=MANAGER_ROLES, label=_("Withdraw")),
)
