"""The chart of one patient: a header with who they are, and one tab per chart page.

Later chart pages register themselves in ``CHART_PAGES`` (a tuple of factories taking
``(ctx, patient_id)``); tabs are built when the chart opens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.patients import PatientService
from mmsdesk.ui.chart.adherence import AdherencePage
from mmsdesk.ui.chart.alerts_panel import AlertsPanel
from mmsdesk.ui.chart.audit_trail import AuditTrailPage
from mmsdesk.ui.chart.care_team_page import CareTeamPage
from mmsdesk.ui.chart.demographics import DemographicsPage
from mmsdesk.ui.chart.history_pages import ProblemsPage, VisitsPage
from mmsdesk.ui.chart.labs_page import LabsPage
from mmsdesk.ui.chart.medications_page import MedicationsPage
from mmsdesk.ui.chart.mtm import MtmPage
from mmsdesk.ui.chart.patient_header import PatientHeader
from mmsdesk.ui.chart.record_pages import AllergiesPage, ConditionsPage, PgxPage
from mmsdesk.ui.context import AppContext

PageFactory = Callable[[AppContext, int], QWidget]

CHART_PAGES: tuple[tuple[str, PageFactory], ...] = (
    ("Demographics", DemographicsPage),
    ("Medications", MedicationsPage),
    ("Allergies", AllergiesPage),
    ("Conditions", ConditionsPage),
    ("Labs & vitals", LabsPage),
    ("PGx", PgxPage),
    ("Care team", CareTeamPage),
    ("Adherence", AdherencePage),
    ("Visits", VisitsPage),
    ("Problems", ProblemsPage),
    ("MTM", MtmPage),
    ("Audit trail", AuditTrailPage),
)


class ChartPages(dict[str, QWidget]):
    """title -> page; a page is built on first access and takes its tab's place."""

    def __init__(self, chart: ChartPage) -> None:
        super().__init__()
        self.chart = chart

    def __getitem__(self, title: str) -> QWidget:
        if not super().__contains__(title):
            self.build(title)
        return super().__getitem__(title)

    def build(self, title: str) -> QWidget:
        if super().__contains__(title):
            return super().__getitem__(title)
        index, factory = next((i, f) for i, (t, f) in enumerate(CHART_PAGES) if t == title)
        chart = self.chart
        page = factory(chart.ctx, chart.patient_id)
        self[title] = page
        tabs = chart.tabs
        current = tabs.currentIndex()
        tabs.blockSignals(True)
        placeholder = tabs.widget(index)
        tabs.removeTab(index)
        tabs.insertTab(index, page, title.replace("&", "&&"))
        tabs.setCurrentIndex(current)
        tabs.blockSignals(False)
        placeholder.deleteLater()
        return page


class ChartPage(QWidget):
    """Signals:
        closed(): the user asked to go back to the patient list.
    """

    closed = Signal()

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.service = PatientService(ctx.store)
        self.back_button = QPushButton("← &Patients")
        self.back_button.setToolTip("Back to the patient list (Alt+Left)")
        self.back_button.clicked.connect(self.closed.emit)
        # Name, age, sex, weight, kidney function, allergies, open problems (issue 20)
        self.header = PatientHeader(ctx, patient_id)
        self.header.problems_requested.connect(self._on_header_problems_requested)
        self.name_label = self.header.name_label
        self.facts_label = self.header.facts_label
        # Visits (issue 8): Start visit… (Ctrl+Shift+V, also in the Visit menu).
        self.start_visit_button = QPushButton("S&tart visit…")
        self.start_visit_button.setToolTip("Start a CMR, TMR, reconciliation or other visit "
                                           "(Ctrl+Shift+V)")
        self.start_visit_button.clicked.connect(self._on_start_visit_button_clicked)
        head = QHBoxLayout()
        head.addWidget(self.back_button)
        head.addSpacing(12)
        head.addWidget(self.header, 1)
        head.addWidget(self.start_visit_button, 0, Qt.AlignmentFlag.AlignTop)
        # Documents (issue 5): preview, print and save the patient's documents.
        self.documents_button = QPushButton("&Documents…")
        self.documents_button.setToolTip("Medication list, action plan, CMS summary, prescriber "
                                         "letters, visit note, calendar, invoice")
        self.documents_button.clicked.connect(self._on_documents_button_clicked)
        head.addWidget(self.documents_button, 0, Qt.AlignmentFlag.AlignTop)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # Pages are built when first shown or asked for (the chart opens faster).
        self.pages = ChartPages(self)
        for title, _factory in CHART_PAGES:
            self.tabs.addTab(QWidget(), title.replace("&", "&&"))
        self.pages.build(CHART_PAGES[0][0])
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        # Live alerts beside every tab (issue 6).
        self.alerts_panel = AlertsPanel(ctx, patient_id)
        self.alerts_panel.setMinimumWidth(260)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.tabs)
        body.addWidget(self.alerts_panel)
        body.setStretchFactor(0, 4)
        body.setStretchFactor(1, 1)
        body.setSizes([1000, 300])
        lay.addWidget(body, 1)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh_header()

    def show_page(self, title: str) -> None:
        self.tabs.setCurrentWidget(self.pages[title])

    def show_row(self, title: str, row_id: int | None) -> bool:
        """Show the Visits or Problems page at the visit or problem ``row_id``."""
        self.show_page(title)
        page = self.pages[title]
        select = getattr(page, {"Visits": "select_visit", "Problems": "select_problem"}.get(
            title, ""), None)
        return bool(select(row_id)) if callable(select) and row_id is not None else False

    # -- visits (issue 8; the wizard lives in ui/visit/)
    @Slot()
    def start_visit(self, service: str = "cmr"):  # type: ignore[no-untyped-def]
        """Ask for service, modality and payer, then open the new visit's wizard."""
        from mmsdesk.ui.visit.launcher import start_visit

        return start_visit(self.ctx, self.patient_id, self, service=service)

    @Slot()
    def _on_start_visit_button_clicked(self) -> None:
        self.start_visit()

    def open_visit(self, visit_id: int, step: str | None = None):  # type: ignore[no-untyped-def]
        """Open a saved visit draft at ``step`` (default: where it was left)."""
        from mmsdesk.ui.visit.launcher import open_visit

        return open_visit(self.ctx, visit_id, step or None, self)

    def start_follow_up(self, follow_up_id: int):  # type: ignore[no-untyped-def]
        """Start (or resume) the follow-up visit that ``follow_up_id`` planned."""
        from mmsdesk.ui.visit.launcher import start_follow_up

        return start_follow_up(self.ctx, self.patient_id, follow_up_id, self)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(CHART_PAGES):
            self.pages.build(CHART_PAGES[index][0])

    def refresh_header(self) -> None:
        self.header.refresh()
        name = self.header.name_label.text()
        self.window().setWindowTitle(f"{name} — MMS Desk") if self.window() is not self else None

    @Slot()
    def _on_header_problems_requested(self) -> None:
        if "Problems" in dict(CHART_PAGES):
            self.show_page("Problems")

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(changes.DEMOGRAPHICS):
            self.refresh_header()

    @Slot()
    def _on_documents_button_clicked(self) -> None:
        self.open_documents()

    def open_documents(self, kind: str | None = None, visit_id: int | None = None):  # type: ignore[no-untyped-def]
        """Open the document preview (the payer's family first: CMS summary or PML)."""
        from mmsdesk.services.documents import preferred_family
        from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

        kind = kind or preferred_family(self.ctx.store, self.patient_id, visit_id)
        dialog = DocumentPreviewDialog(self.ctx, kind, self.patient_id, visit_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
