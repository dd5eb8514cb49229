from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Agency


class DefaulterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, ID number, USCC or case number"),
        required=False,
        max_length=100,
        strip=True,
        help_text=_("At least two characters of a name; or a full 18-character ID number or USCC."),
    )
    province = forms.RegexField(label=_("Province"), regex=r"^[1-9][0-9]0000$", required=False)
    court = forms.ModelChoiceField(
        label=_("Court"),
        required=False,
        queryset=Agency.objects.filter(kind=Agency.Kind.COURT),
        widget=forms.NumberInput,
    )
    list = forms.ChoiceField(
        label=_("List"),
        required=False,
        choices=[
            ("court-defaulters", _("Court defaulters (失信被执行人)")),
            ("consumption-restriction", _("Consumption restriction (限制消费人员)")),
            ("all", _("All court lists (综合查询)")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=50, widget=forms.HiddenInput)

    def clean_q(self):
        value = self.cleaned_data["q"]
        if any(ord(char) < 32 for char in value):
            raise forms.ValidationError(_("The query contains control characters."))
        return value
