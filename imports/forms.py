from django import forms

from .kinds import KINDS

MAX_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="The file holds", choices=[(k.key, k.label) for k in KINDS.values()])
    file = forms.FileField(help_text="A .csv or .xlsx file, first row the column names.")

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("At most 20 MB: split the file.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload
