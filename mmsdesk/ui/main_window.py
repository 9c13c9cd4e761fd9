"""The main window: the patient list and the open chart, with the menus a desktop user expects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from mmsdesk import __version__

if TYPE_CHECKING:
    from mmsdesk.ui.chart.chart_page import ChartPage
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.pages.dashboard import DashboardPage
    from mmsdesk.ui.pages.outcomes import OutcomesPage
    from mmsdesk.ui.pages.patient_list import PatientListPage


class MainWindow(QMainWindow):
    """The window shows at once; the store and its pages attach when they are ready.

    This module imports only Qt, so the window appears before the database layer has loaded
    (and, with an encrypted store, before the passphrase is known).

    Signals:
        attached(): the store is open and the pages are built.
    """

    attached = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.setWindowTitle("MMS Desk")
        self.resize(1280, 760)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.opening_label = QLabel("Opening your practice data…")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening_label)
        self.patient_list: PatientListPage | None = None
        self.chart: ChartPage | None = None
        self.dashboard: DashboardPage | None = None
        self.outcomes: OutcomesPage | None = None
        self.resume_dialog: QWidget | None = None
        self._build_menus()
        self._set_data_actions_enabled(False)

    def attach(self, ctx: AppContext) -> None:
        """Build the pages over an open store."""
        from mmsdesk.ui.pages.patient_list import PatientListPage

        self.ctx = ctx
        self.patient_list = PatientListPage(ctx)
        self.patient_list.patient_selected.connect(self.open_patient)
        self.patient_list.new_patient_requested.connect(self.new_patient)
        self.stack.addWidget(self.patient_list)
        self._attach_dashboard(ctx)
        self._set_data_actions_enabled(True)
        self.statusBar().showMessage(f"Data: {ctx.store.where}", 5000)  # file or server
        self.attached.emit()
        self._offer_resume_after_attach()

    def _set_data_actions_enabled(self, enabled: bool) -> None:
        for act in (self.new_patient_action, self.demo_action, self.find_action,
                    self.import_fhir_action, self.export_fhir_action, self.export_csv_action,
                    self.patients_action, self.dashboard_action, self.outcomes_action,
                    self.start_visit_action, self.resume_visit_action):
            act.setEnabled(enabled)

    # -- menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.new_patient_action = self._action(self.file_menu, "&New patient…", self.new_patient,
                                               QKeySequence.StandardKey.New)
        self.file_menu.addSeparator()
        self.demo_action = self._action(self.file_menu, "Load &demo patients…", self.load_demo)
        self.file_menu.addSeparator()
        self.import_fhir_action = self._action(
            self.file_menu, "&Import FHIR bundle, C-CDA or fill history…", self.import_fhir)
        self.export_menu = self.file_menu.addMenu("&Export")
        self.export_fhir_action = self._action(self.export_menu, "Patient record as &FHIR…",
                                               self.export_fhir)
        self.export_csv_action = self._action(self.export_menu, "Medication list as &CSV…",
                                              self.export_medications_csv)
        self.file_menu.addSeparator()
        self.quit_action = self._action(self.file_menu, "&Quit", self.close,
                                        QKeySequence.StandardKey.Quit)
        self.edit_menu = bar.addMenu("&Edit")
        self.find_action = self._action(self.edit_menu, "&Find patient", self.find_patient,
                                        QKeySequence.StandardKey.Find)
        self.view_menu = bar.addMenu("&View")
        self.dashboard_action = self._action(self.view_menu, "&Dashboard", self.show_dashboard,
                                             QKeySequence("Ctrl+1"))
        self.patients_action = self._action(self.view_menu, "&Patient list", self.show_patient_list,
                                            QKeySequence("Alt+Left"))
        self.outcomes_action = self._action(self.view_menu, "&Outcomes report", self.show_outcomes,
                                            QKeySequence("Ctrl+3"))
        self.visit_menu = bar.addMenu("Vi&sit")
        self.start_visit_action = self._action(self.visit_menu, "&Start visit…",
                                               self.start_visit, QKeySequence("Ctrl+Shift+V"))
        self.resume_visit_action = self._action(self.visit_menu, "&Resume unfinished visit…",
                                                self.offer_resume)
        self._build_navigation()
        self.help_menu = bar.addMenu("&Help")
        self._action(self.help_menu, "&About MMS Desk", self.about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    # -- import and export (issue 6)
    @Slot()
    def import_fhir(self) -> None:
        from mmsdesk.ui.interop_actions import import_fhir

        import_fhir(self)

    def import_fhir_from(self, path: str):  # type: ignore[no-untyped-def]
        """Preview and import a given file: a bundle or C-CDA (ImportResult), a fill history
        (PatientsImport), or None."""
        from mmsdesk.ui.interop_actions import import_fhir

        return import_fhir(self, path)

    @Slot()
    def export_fhir(self) -> None:
        from mmsdesk.ui.interop_actions import export_fhir

        export_fhir(self)

    @Slot()
    def export_medications_csv(self) -> None:
        from mmsdesk.ui.interop_actions import export_medications_csv

        export_medications_csv(self)

    # -- navigation
    @Slot(int)
    def open_patient(self, patient_id: int) -> ChartPage:
        from mmsdesk.ui.chart.chart_page import ChartPage

        assert self.ctx is not None
        if self.chart is not None:
            self.stack.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = ChartPage(self.ctx, patient_id)
        self.chart.closed.connect(self.show_patient_list)
        self.stack.addWidget(self.chart)
        self.stack.setCurrentWidget(self.chart)
        self.chart.tabs.setFocus()
        self.ctx.events.patient_opened.emit(patient_id)
        return self.chart

    @Slot()
    def show_patient_list(self) -> None:
        if self.patient_list is None:
            return
        self.stack.setCurrentWidget(self.patient_list)
        self.setWindowTitle("MMS Desk")
        if self.chart is not None:
            self.patient_list.select_patient(self.chart.patient_id)
        self.patient_list.table.setFocus()

    # -- dashboard and outcomes (issue 9)
    def _build_navigation(self) -> None:
        bar = self.addToolBar("Navigation")
        bar.setObjectName("navigation_toolbar")
        bar.setMovable(False)
        for act in (self.dashboard_action, self.patients_action, self.outcomes_action):
            bar.addAction(act)

    def _attach_dashboard(self, ctx: AppContext) -> None:
        from mmsdesk.ui.pages.dashboard import DashboardPage

        self.dashboard = DashboardPage(ctx)
        self.dashboard.patient_requested.connect(self.open_patient)
        self.dashboard.chart_page_requested.connect(self.open_chart_page)
        self.dashboard.visit_requested.connect(self.open_visit)
        self.dashboard.follow_up_requested.connect(self.open_follow_up)
        self.dashboard.review_requested.connect(self.start_review)
        self.dashboard.chart_row_requested.connect(self.open_chart_row)
        self.stack.addWidget(self.dashboard)
        self.show_dashboard()

    @Slot()
    def show_dashboard(self) -> None:
        if self.dashboard is None:
            return
        self.stack.setCurrentWidget(self.dashboard)
        self.setWindowTitle("MMS Desk")
        self.dashboard.tabs.currentWidget().setFocus()

    @Slot()
    def show_outcomes(self) -> None:
        from mmsdesk.ui.pages.outcomes import OutcomesPage

        if self.ctx is None:
            return
        if self.outcomes is None:
            self.outcomes = OutcomesPage(self.ctx)
            self.stack.addWidget(self.outcomes)
        self.stack.setCurrentWidget(self.outcomes)
        self.setWindowTitle("Outcomes — MMS Desk")

    @Slot(int, str)
    def open_chart_page(self, patient_id: int, title: str) -> None:
        from mmsdesk.ui.chart.chart_page import CHART_PAGES

        chart = self.open_patient(patient_id)
        if any(t == title for t, _ in CHART_PAGES):
            chart.show_page(title)

    @Slot(int, str, int)
    def open_chart_row(self, patient_id: int, title: str, row_id: int) -> None:
        """The chart's Visits or Problems page at one visit or problem (the chart already open
        for this patient is kept, with any visit it started)."""
        chart = self.chart
        if chart is None or chart.patient_id != patient_id:
            chart = self.open_patient(patient_id)
        self.stack.setCurrentWidget(chart)
        chart.show_row(title, row_id if row_id >= 0 else None)

    @Slot(int, int, str)
    def open_visit(self, patient_id: int, visit_id: int, step: str) -> None:
        """Open the patient's chart, then the visit at ``step`` when the chart offers visits."""
        chart = self.open_patient(patient_id)
        opener = getattr(chart, "open_visit", None)
        if callable(opener):
            opener(visit_id, step)
        else:
            self.statusBar().showMessage("Visit drafts open from the chart once visits are available.", 5000)

    @Slot(int, int)
    def open_follow_up(self, patient_id: int, follow_up_id: int) -> None:
        """Open the patient's chart and start the follow-up visit when the chart offers visits."""
        chart = self.open_patient(patient_id)
        starter = getattr(chart, "start_follow_up", None)
        if callable(starter):
            starter(follow_up_id)
        else:
            self.statusBar().showMessage("Follow-up due: start the follow-up visit from the chart.", 5000)

    @Slot(int, str)
    def start_review(self, patient_id: int, service: str) -> None:
        """The MTM review due: its unfinished visit when there is one, else a new visit of
        that service (the start dialog, prefilled)."""
        from mmsdesk.services.visits.service import VisitService

        chart = self.chart if self.chart is not None and self.chart.patient_id == patient_id \
            else self.open_patient(patient_id)
        draft = next((d for d in VisitService(self.ctx.store).open_drafts(patient_id)
                      if d.service == service), None)
        if draft is not None:
            chart.open_visit(draft.visit_id, draft.step)
        else:
            chart.start_visit(service)

    # -- visits (issue 8)
    @Slot()
    def start_visit(self) -> None:
        """Start a visit for the patient whose chart is open."""
        if self.chart is not None and self.stack.currentWidget() is self.chart:
            self.chart.start_visit()
        else:
            self.statusBar().showMessage("Open a patient's chart, then start the visit.", 5000)

    def _offer_resume_after_attach(self) -> None:
        """Unfinished visits left by a crash or a closed app are offered once the data is open."""
        from mmsdesk.services.visits.service import VisitService

        assert self.ctx is not None
        if VisitService(self.ctx.store).open_drafts():
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self.offer_resume)

    @Slot()
    def offer_resume(self) -> None:
        from mmsdesk.services.visits.service import VisitService
        from mmsdesk.ui.visit.resume_dialog import ResumeVisitsDialog

        if self.ctx is None:
            return
        drafts = VisitService(self.ctx.store).open_drafts()
        if not drafts:
            self.statusBar().showMessage("No unfinished visits.", 5000)
            return
        dlg = ResumeVisitsDialog(drafts, self)
        self.resume_dialog = dlg

        def done(result: int) -> None:
            chosen = dlg.chosen()
            self.resume_dialog = None
            dlg.deleteLater()
            if result and chosen is not None:
                self.open_visit(chosen.patient_id, chosen.visit_id, chosen.step)

        dlg.finished.connect(done)
        dlg.open()

    @Slot()
    def find_patient(self) -> None:
        self.show_patient_list()
        if self.patient_list is not None:
            self.patient_list.focus_search()

    @Slot()
    def new_patient(self) -> None:
        from mmsdesk.services.patients import PatientService
        from mmsdesk.ui.dialogs.patient_form import PatientDialog

        assert self.ctx is not None
        dlg = PatientDialog(PatientService(self.ctx.store), None, self.ctx.today(), self)
        accepted = dlg.exec()
        patient_id, change = dlg.patient_id, dlg.change
        dlg.deleteLater()
        if accepted and patient_id is not None:
            if change is not None:
                self.ctx.events.publish(change)
            self.open_patient(patient_id)

    @Slot()
    def load_demo(self) -> None:
        from mmsdesk.services import changes
        from mmsdesk.services.changes import ChangeSet
        from mmsdesk.services.demo import load_demo
        from mmsdesk.services.patients import PatientService

        assert self.ctx is not None

        count = PatientService(self.ctx.store).count()
        if count:
            answer = QMessageBox.question(
                self, "Load demo patients",
                f"This store already holds {count} patients. Add 12 fictional demo patients "
                "to it anyway? Demo patients are best kept in a separate data folder "
                "(mmsdesk --data-dir DEMO_FOLDER).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        load_demo(self.ctx.store, self.ctx.today(), allow_existing=True)
        self.ctx.events.publish(ChangeSet.of(changes.PATIENTS))
        self.statusBar().showMessage("12 demo patients loaded.", 5000)

    @Slot()
    def about(self) -> None:
        QMessageBox.about(self, "About MMS Desk",
                          f"MMS Desk {__version__}\nOffline medication management services "
                          "for the independent pharmacist.")
