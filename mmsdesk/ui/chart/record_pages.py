"""Chart pages over the simple record kinds: allergies, conditions, PGx results.

Each is a table with Add / Edit / Remove and a :class:`RecordDialog` built from field specs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QStringListModel, Slot
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.enums import AllergyType, ConditionStatus, Severity
from mmsdesk.services import changes, icd10
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.record import (
    AllergyInput,
    ConditionInput,
    Item,
    PgxInput,
    RecordService,
)
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.record_dialog import FieldSpec, RecordDialog
from mmsdesk.ui.qtmodels.chart_table import ChartTableModel, Getter
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

ALLERGY_CLASSES = [
    "Penicillins", "Cephalosporins", "Sulfonamide antibiotics (sulfa)", "Macrolides",
    "Fluoroquinolones", "Tetracyclines", "NSAIDs", "Aspirin", "Opioids", "Codeine", "Morphine",
    "ACE inhibitors", "Statins", "Iodinated contrast", "Local anesthetics", "Anticonvulsants",
    "Latex", "Egg", "Peanut", "Shellfish", "Soy", "Gelatin",
]


def allergy_substances() -> list[str]:
    """Drug classes, and the dictionary's ingredient names when the dictionary is present."""
    names = list(ALLERGY_CLASSES)
    try:
        from mmsdesk.clinical.dictionary import get_dictionary

        d = get_dictionary()
        names += sorted({i.plain_class for i in d.ingredients.values() if i.plain_class})
        names += sorted(k.capitalize() for k in d.ingredients)
    except ImportError:
        pass
    return names


STATUS = {"active": "Active", "inactive": "Inactive"}
ALLERGY_SPECS = [
    FieldSpec("substance", "&Substance:", completions=allergy_substances,
              placeholder="a drug, a drug class or another substance"),
    FieldSpec("type", "&Type:", "combo", {AllergyType.ALLERGY: "Allergy",
                                          AllergyType.INTOLERANCE: "Intolerance"}),
    FieldSpec("reaction", "&Reaction:", placeholder="hives, swelling, rash, nausea…"),
    FieldSpec("severity", "Se&verity:", "combo", {Severity.MILD: "Mild",
                                                  Severity.MODERATE: "Moderate",
                                                  Severity.SEVERE: "Severe",
                                                  Severity.UNKNOWN: "Not known"}),
    FieldSpec("category", "Cate&gory:", "combo", {"": "Not given", "medication": "Medication",
                                                  "food": "Food", "environment": "Environment",
                                                  "biologic": "Biologic"}),
    FieldSpec("criticality", "Criticalit&y:", "combo", {"": "Not given", "low": "Low",
                                                        "high": "High",
                                                        "unable-to-assess": "Unable to assess"}),
    FieldSpec("recorded_date", "Date recorded:", "date"),
    FieldSpec("verified", "Verified:", "check"),
    FieldSpec("status", "Status:", "combo", STATUS),
    FieldSpec("notes", "Notes:", "notes"),
]
CONDITION_STATUS = {ConditionStatus.ACTIVE: "Active", ConditionStatus.RESOLVED: "Resolved",
                    ConditionStatus.INACTIVE: "Inactive"}
CONDITION_SPECS = [
    FieldSpec("name", "&Condition:", placeholder="type words or a code to search ICD-10-CM"),
    FieldSpec("icd10_code", "&ICD-10-CM code:", placeholder="for example E11.9"),
    FieldSpec("onset_date", "Onset:", "date"),
    FieldSpec("status", "Status:", "combo", CONDITION_STATUS),
    FieldSpec("notes", "Notes:", "notes"),
]
PGX_SPECS = [
    FieldSpec("gene", "&Gene:", placeholder="for example CYP2C19"),
    FieldSpec("diplotype", "&Diplotype:", placeholder="for example *1/*2"),
    FieldSpec("phenotype", "&Phenotype:", placeholder="for example Intermediate Metabolizer"),
    FieldSpec("test_date", "Test date:", "date"),
    FieldSpec("lab", "Laboratory:"),
    FieldSpec("notes", "Notes:", "notes"),
]


class ConditionDialog(RecordDialog):
    """Typing in the condition name searches ICD-10-CM; picking a line fills name and code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_edit: QLineEdit = self.widgets["name"]  # type: ignore[assignment]
        self.code_edit: QLineEdit = self.widgets["icd10_code"]  # type: ignore[assignment]
        self.hits: dict[str, icd10.Icd10Hit] = {}
        self.completions = QStringListModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.name_edit.setCompleter(self.completer)
        self.name_edit.textEdited.connect(self._on_name_text_edited)
        self.completer.activated[str].connect(self._on_completer_activated)

    @Slot(str)
    def _on_name_text_edited(self, text: str) -> None:
        hits = icd10.search(text, 15) if len(text.strip()) >= 3 else []
        self.hits = {f"{h.code} — {h.description}": h for h in hits}
        self.completions.setStringList(list(self.hits))

    @Slot(str)
    def _on_completer_activated(self, text: str) -> None:
        hit = self.hits.get(text)
        if hit is not None:
            self.pick(hit)

    def pick(self, hit: icd10.Icd10Hit) -> None:
        self.name_edit.setText(hit.description)
        self.code_edit.setText(hit.code)


class RecordPage(QWidget):
    """A table of one record kind for one patient, with Add / Edit / Remove."""

    title = ""
    kind: type = object
    noun = ""
    columns: Sequence[Getter] = ()
    specs: list[FieldSpec] = []
    change_kind = ""
    dialog_class: type[RecordDialog] = RecordDialog
    struck: Callable[[Any], bool] | None = None

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.service = RecordService(ctx.store)
        self.model: ChartTableModel[Item[Any]] = ChartTableModel(self.columns, self,
                                                             struck=type(self).struck)
        self.table = make_table(self.title, stretch=len(self.columns) - 1)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        row = QHBoxLayout()
        self.add_button = QPushButton(f"&Add {self.noun}…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("&Remove…")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        for b in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(b)
        row.addStretch()
        self.empty_label = QLabel(f"No {self.noun}s recorded.")
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.empty_label)
        lay.addWidget(self.table, 1)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.service.items(self.patient_id, self.kind))
        self.empty_label.setVisible(self.model.rowCount() == 0)
        fit_columns(self.table)

    def open_dialog(self, item: Item[Any] | None) -> None:
        today = self.ctx.today()
        fresh = None
        if item is None:
            def save(data: Any) -> ChangeSet:
                return self.service.add(self.patient_id, data, today)[1]
        else:
            read = {"version": item.version}  # saved against: a colleague's save is refused

            def save(data: Any) -> ChangeSet:
                return self.service.update(item.id, data, today,
                                           expected_version=read["version"])

            def fresh() -> Any:
                now = self.service.item(self.kind, item.id)
                read["version"] = now.version
                return now.data
        title = f"{'Edit' if item else 'Add'} {self.noun}"
        dlg = self.dialog_class(title, self.kind, self.specs, save,
                                item.data if item else None, self, fresh=fresh)
        accepted = dlg.exec()
        change = dlg.change
        dlg.deleteLater()
        if accepted and change is not None:
            self.ctx.events.publish(change)

    def selected(self) -> Item[Any] | None:
        i = selected_row(self.table)
        return None if i is None else self.model.row(i)

    @Slot()
    def _on_add_clicked(self) -> None:
        self.open_dialog(None)

    @Slot()
    def _on_edit_clicked(self) -> None:
        item = self.selected()
        if item is not None:
            self.open_dialog(item)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_edit_clicked()

    @Slot()
    def _on_remove_clicked(self) -> None:
        item = self.selected()
        if item is None:
            return
        answer = QMessageBox.question(self, f"Remove {self.noun}",
                                      f"Remove this {self.noun} from the record? It was entered "
                                      "in error; to keep it as history, edit its status instead.")
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.events.publish(self.service.delete(self.kind, item.id))

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(self.change_kind):
            self.refresh()


class AllergiesPage(RecordPage):
    title, kind, noun, change_kind = "Allergies", AllergyInput, "allergy", changes.ALLERGIES
    specs = ALLERGY_SPECS
    columns = (("Substance", lambda i: i.data.substance),
               ("Type", lambda i: i.data.type.capitalize()),
               ("Severity", lambda i: i.data.severity.capitalize()),
               ("Category", lambda i: i.data.category.replace(";", ", ").capitalize()),
               ("Criticality", lambda i: i.data.criticality.replace("-", " ").capitalize()),
               ("Verified", lambda i: "yes" if i.data.verified else "no"),
               ("Recorded", lambda i: i.data.recorded_date),
               ("Status", lambda i: i.data.status.capitalize()),
               ("Reaction", lambda i: i.data.reaction))
    struck = staticmethod(lambda i: i.data.status != "active")  # type: ignore[assignment]


class ConditionsPage(RecordPage):
    title, kind, noun, change_kind = "Conditions", ConditionInput, "condition", changes.CONDITIONS
    specs = CONDITION_SPECS
    dialog_class = ConditionDialog
    columns = (("ICD-10-CM", lambda i: i.data.icd10_code),
               ("Onset", lambda i: i.data.onset_date),
               ("Status", lambda i: i.data.status.capitalize()),
               ("Condition", lambda i: i.data.name))
    struck = staticmethod(lambda i: i.data.status != "active")  # type: ignore[assignment]


class PgxPage(RecordPage):
    title, kind, noun, change_kind = "PGx", PgxInput, "PGx result", changes.PGX
    specs = PGX_SPECS
    columns = (("Gene", lambda i: i.data.gene), ("Diplotype", lambda i: i.data.diplotype),
               ("Test date", lambda i: i.data.test_date), ("Laboratory", lambda i: i.data.lab),
               ("Phenotype", lambda i: i.data.phenotype))
