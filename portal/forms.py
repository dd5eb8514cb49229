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
    court = forms.CharField(
        label=_("Enforcing court"),
        required=False,
        max_length=100,
        help_text=_("Full name, e.g. 合肥市中级人民法院."),
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

    def clean_court(self):
        name = self.cleaned_data["court"].strip()
        if not name:
            return None
        court = Agency.objects.filter(kind=Agency.Kind.COURT, name_zh=name).first()
        if court is None:
            raise forms.ValidationError(_("No court named %(name)s has published entries.") % {"name": name})
        return court
