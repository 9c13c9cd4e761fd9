"""Shows the recovery key once, at set-up, to be printed or written down."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

RECOVERY_INTRO = (
    "Write down or print this recovery key and keep it somewhere safe, away from the laptop. "
    "If you forget your passphrase, it is the only way to open your data. It will not be "
    "shown again.")


def recovery_key_field(recovery_key: str) -> QLineEdit:
    """The key, read-only, in a large fixed-width font (also used by the first-run wizard)."""
    field = QLineEdit(recovery_key)
    field.setReadOnly(True)
    field.setAccessibleName("Recovery key")
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), QFont().pointSizeF()) * 1.4)
    font.setWeight(QFont.Weight.Bold)
    field.setFont(font)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance(recovery_key) + 24)
    return field


def recovery_sheet(recovery_key: str, who: str = "") -> str:
    """The printed page (HTML): the key, whose data it opens, what it is for, where it lives."""
    import html

    from mmsdesk import paths

    return (f"<h2>MMS Desk recovery key</h2><p>{html.escape(who)}</p>"
            f"<p style='font-family: monospace; font-size: 18pt'><b>{html.escape(recovery_key)}"
            f"</b></p><p>{html.escape(RECOVERY_INTRO)}</p>"
            f"<p>Data folder: {html.escape(str(paths.practice_data_dir()))}</p>")


def print_recovery_key(parent: QWidget, recovery_key: str, who: str = "",
                       printer: object | None = None) -> bool:
    """Print the recovery sheet through the system's print dialog; True when printed."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = printer if isinstance(printer, QPrinter) else QPrinter()
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    doc = QTextDocument()
    doc.setHtml(recovery_sheet(recovery_key, who))
    doc.print_(printer)
    return True


class RecoveryKeyDialog(QDialog):
    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        box = QVBoxLayout(self)
        intro = QLabel("Your practice data is now encrypted. " + RECOVERY_INTRO)
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.key = recovery_key_field(recovery_key)
        box.addWidget(self.key)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(lambda: print_recovery_key(self, recovery_key))
        buttons.addButton("I have written it down", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        box.addWidget(buttons)
