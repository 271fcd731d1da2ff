"""The import's forms (IMP-01 … IMP-04): the upload, the file's reading and mapping with the automatic processing's
options (a load again), a staged row's fix, and step 3's choices for the dry run."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontora.core.errors import Refused
from kontora.core.forms.base import KontoraForm
from kontora.directories.forms.widgets import picker_field
from kontora.imports.models import Import
from kontora.imports.selectors import columns as c
from kontora.imports.selectors import sheets

# The automatic processing's switches, as the manual names the first two.
OPTIONS = (
    ("person_names", _("Split the contact's full name")),
    ("import_note", _("Add the import's details to the note")),
    ("spaces", _("Trim spaces and straighten quotes")),
    ("places", _("Recognise region and city")),
    ("phones", _("Check phones")),
    ("emails", _("Check e-mail addresses")),
    ("requisites", _("Check INN, KPP, OGRN")),
)
ENCODING_LABELS = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "windows-1251": "Windows-1251"}
DELIMITER_LABELS = {";": pgettext_lazy("delimiter", "; (semicolon)"), ",": pgettext_lazy("delimiter", ", (comma)"),
                    "\t": pgettext_lazy("delimiter", "tab")}
SKIP = ""


class UploadForm(KontoraForm):
    file = forms.FileField(label=_("File with clients (.xlsx, .xls, .ods, .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}))


class ReloadForm(KontoraForm):
    """How the file is read and mapped, and what the automatic processing does: a load again with these choices."""

    header = forms.BooleanField(label=_("The first row is a header"), required=False)

    def __init__(self, *args: Any, run: Import, sheet_names: list[str] | None = None, **kwargs: Any) -> None:
        width = max([len(run.headers), *(len(row) for row in run.preview), *(int(k) + 1 for k in run.mapping)] or [1])
        initial = {"header": bool(run.headers), "sheet": run.sheet, "encoding": run.encoding,
                   "delimiter": run.delimiter,
                   **{f"col{index}": run.mapping.get(str(index), SKIP) for index in range(width)},
                   **{name: bool(run.options.get(name, True)) for name, _label in OPTIONS}}
        super().__init__(*args, initial=initial, **kwargs)
        self.run = run
        self.width = width
        if run.encoding:
            self.fields["encoding"] = forms.ChoiceField(
                label=_("Encoding"), choices=[(code, ENCODING_LABELS[code]) for code in sheets.ENCODINGS])
            self.fields["delimiter"] = forms.ChoiceField(
                label=_("Delimiter"), choices=[(code, DELIMITER_LABELS[code]) for code in sheets.DELIMITERS])
        elif run.sheet and sheet_names:
            # The workbook's sheets to choose from (a choice reloads at once: data-k-submit-on-change).
            names = list(dict.fromkeys([*sheet_names, run.sheet]))
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"), choices=[(name, name) for name in names],
                widget=forms.Select(attrs={"data-k-submit-on-change": "", "data-testid": "import-sheet"}))
        elif run.sheet:
            self.fields["sheet"] = forms.CharField(label=_("Sheet"), max_length=255)
        fields = [(SKIP, _("— skip —")), *((item.key, item.label) for item in c.FIELDS)]
        for index in range(width):
            self.fields[f"col{index}"] = forms.ChoiceField(
                label=_("Column %(letter)s") % {"letter": c.column_letter(index)}, choices=fields, required=False)
        for name, label in OPTIONS:
            # A switch acts at once: its change sends the form (a load again); the button stays for no JavaScript.
            self.fields[name] = forms.BooleanField(label=label, required=False,
                                                   widget=forms.CheckboxInput(attrs={"data-k-submit-on-change": ""}))

    def column_fields(self) -> list[Any]:
        return [self[f"col{index}"] for index in range(self.width)]

    def option_fields(self) -> list[Any]:
        return [self[name] for name, _label in OPTIONS]

    def sheet_changed(self) -> bool:
        """Another sheet was chosen: its columns are another table's, mapped afresh from its own first row."""
        return bool(self.run.sheet and self.cleaned_data.get("sheet") and self.cleaned_data["sheet"] != self.run.sheet)

    def choices(self) -> dict[str, Any]:
        """The job's params: plain values. Another sheet is read with the mapping and header proposed from it."""
        data = self.cleaned_data
        mapping = {str(index): data[f"col{index}"] for index in range(self.width) if data.get(f"col{index}")}
        chosen: dict[str, Any] = {"header": bool(data["header"]), "mapping": mapping,
                                  "options": {name: bool(data[name]) for name, _label in OPTIONS}}
        if self.sheet_changed():
            chosen["header"], chosen["mapping"] = None, None
        for name in ("sheet", "encoding", "delimiter"):
            if name in data:
                chosen[name] = data[name]
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.sheet_changed():
            return data  # the mapping shown is the old sheet's: not asked
        chosen = {index: str(data[f"col{index}"]) for index in range(self.width) if data.get(f"col{index}")}
        try:
            c.mapping_check(chosen)
        except Refused as exc:  # shown above the mapping
            self.add_error(None, str(exc))
        return data


class RowForm(KontoraForm):
    """A staged row's values by mapped field, as the grid shows them."""

    def __init__(self, *args: Any, run: Import, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in dict.fromkeys(run.mapping.values()):
            self.fields[key] = forms.CharField(label=c.field_label(key), required=False, max_length=1000)

    def values(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items()}


class CheckForm(KontoraForm):
    # The directories' pickers, as the card chooses them: given to every new client of the import.
    status = picker_field("client-statuses", label=_("Status"))
    priority = picker_field("priorities", label=_("Priority"))
    match_key = forms.ChoiceField(label=_("Match rows with clients by"), choices=Import.MatchKey.choices,
                                  required=False)
    on_match = forms.ChoiceField(label=_("A row that matches a client"), choices=Import.OnMatch.choices)
