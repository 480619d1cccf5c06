"""The eight 工贸 industries (domain.md §1, glossary): shared vocabulary for every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    METALLURGY = "metallurgy", _("Metallurgy")
    NONFERROUS = "nonferrous", _("Non-ferrous metals")
    BUILDING_MATERIALS = "building_materials", _("Building materials")
    MACHINERY = "machinery", _("Machinery")
    LIGHT_INDUSTRY = "light_industry", _("Light industry")
    TEXTILES = "textiles", _("Textiles")
    TOBACCO = "tobacco", _("Tobacco")
    COMMERCE_TRADE = "commerce_trade", _("Commerce and trade")
