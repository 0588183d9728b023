"""The import page's form: the organisation, the file, and whether to check only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The signals or registrations are imported on behalf of this organisation."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by ; or ,) or Excel (.xlsx), with the columns of the template."
        ),
    )
    # The run that was checked (a dry run): importing needs the same file again.
    checked = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB: split the list into smaller files.")
                % {"limit": limit}
            )
        return upload
