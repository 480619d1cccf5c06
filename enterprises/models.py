"""The enterprise registry: 工贸 enterprises, their industry mapping and special-risk tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from lib.industries import Industry  # noqa: F401 - re-exported: the registry's industry field


class IndustryMapping(models.Model):
    """A GB/T 4754-2017 code prefix and the 工贸 industry it belongs to.

    The longest matching prefix wins, so "3140" (铁合金冶炼) can override "31". Seeded from
    the 工贸行业分类目录 (应急厅〔2019〕17号) as far as we know it; admins correct it.
    """

    code_prefix = models.CharField(_("GB/T 4754 code prefix"), max_length=4, unique=True)
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices)
    description = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("industry mapping")
        verbose_name_plural = _("industry mappings")
        ordering = ["code_prefix"]

    def __str__(self) -> str:
        return f"{self.code_prefix} → {self.get_industry_display()}"


class RiskTag(models.Model):
    """A special risk that shapes panels and hazards: 粉尘涉爆, 涉氨制冷, 有限空间作业…"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("special-risk tag")
        verbose_name_plural = _("special-risk tags")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """One 工贸 enterprise registered with the bureau, located in one county-level division."""

    class Scale(models.TextChoices):
        ABOVE = "above", _("Above designated size")
        BELOW = "below", _("Below designated size")

    class Status(models.TextChoices):
        NORMAL = "normal", _("Operating")
        SUSPENDED = "suspended", _("Production suspended")
        DEREGISTERED = "deregistered", _("Deregistered")

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("division"), on_delete=models.PROTECT, related_name="enterprises"
    )
    town = models.ForeignKey(
        Region,
        verbose_name=_("town"),
        on_delete=models.PROTECT,
        related_name="town_enterprises",
        null=True,
        blank=True,
    )
    # Denormalised from region.path so scoping is one indexed prefix match, without a join.
    region_path = models.CharField(max_length=128, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    principal_name = models.CharField(_("principal"), max_length=64, blank=True)
    principal_phone = models.CharField(_("principal's phone"), max_length=32, blank=True)
    safety_manager_name = models.CharField(_("safety manager"), max_length=64, blank=True)
    safety_manager_phone = models.CharField(_("safety manager's phone"), max_length=32, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=8, choices=Scale.choices, default=Scale.BELOW)
    gb4754_code = models.CharField(_("GB/T 4754 industry code"), max_length=4)
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices)
    risk_tags = models.ManyToManyField(RiskTag, verbose_name=_("special risks"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NORMAL)
    # E7 (domain.md §4): on the 失信惩戒名单; recorded by regulators until a data feed exists.
    on_credit_blacklist = models.BooleanField(_("on the credit blacklist"), default=False)
    credit_blacklist_note = models.CharField(_("blacklist note"), max_length=200, blank=True)
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprise",
        help_text=_("The organisation the enterprise's users belong to."),
    )
    name_pinyin = models.CharField(max_length=600, editable=False, blank=True)
    # Two-character windows of the name and short name, space-separated; on PostgreSQL a GIN index
    # on their array finds the candidates of a Chinese substring search (enterprises.domain.grams).
    name_grams = models.TextField(editable=False, blank=True, default="")
    name_initials = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["region_path", "name"]
        indexes = [
            # The enterprise list filters by scope prefix, then industry and status, ordered by name.
            models.Index(fields=["region_path", "industry", "status", "name"], name="ent_scope_filter_idx"),
            models.Index(fields=["name"], name="ent_name_idx"),
            # The list's order (division, then name): a page comes off the index, no sort of all rows.
            models.Index(fields=["region_path", "name", "id"], name="ent_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Normalisation only (see the models convention): derived search and scope fields.
        from enterprises.domain import name_grams, normalise_uscc, pinyin_keys

        self.uscc = normalise_uscc(self.uscc)
        self.region_path = self.region.path
        self.name_pinyin, self.name_initials = pinyin_keys(self.name, self.short_name)
        self.name_grams = name_grams(self.name, self.short_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "uscc",
                "region_path",
                "name_pinyin",
                "name_initials",
                "name_grams",
            }
        super().save(*args, **kwargs)
