"""Forms for the expert pool. The pool's own pages come with the panel issue; admin uses this now."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Industry
from experts.models import Expert, Skill, Specialty


class ExpertForm(forms.ModelForm):
    """An expert's profile, with the code lists shown as checkboxes instead of raw JSON."""

    specialties = forms.MultipleChoiceField(
        label=_("specialties"), choices=Specialty.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    industries = forms.MultipleChoiceField(
        label=_("industries"), choices=Industry.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    skills = forms.MultipleChoiceField(
        label=_("special skills"), choices=Skill.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "gender",
            "id_number",
            "phone",
            "employer",
            "title",
            "registered_safety_engineer",
            "registered_safety_engineer_number",
            "years_of_experience",
            "specialties",
            "industries",
            "skills",
            "region",
            "status",
            "can_lead",
            "user",
        ]
