"""Save as PDF: the dialog says the file holds patient data; the PDF is the user's alone and
appears only with its export in the audit trail."""

from __future__ import annotations

import os
import stat

import pytest

from tests.ui.test_document_preview import _audit, ctx  # noqa: F401 - the fixture


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_save_dialog_warns_and_the_pdf_is_private(qtbot, ctx, tmp_path, monkeypatch):  # noqa: F811
    from PySide6.QtWidgets import QFileDialog

    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

    dlg = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(dlg)
    out = tmp_path / "chosen"
    asked = []

    def fake_dialog(_parent, caption, name, _filter):
        asked.append(caption)
        return str(out), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    old = os.umask(0o022)  # as a desktop session usually runs; the app's start sets 077
    try:
        dlg._on_save_clicked()
    finally:
        os.umask(old)
    assert asked and "holds patient data" in asked[0]
    saved = tmp_path / "chosen.pdf"
    assert saved.read_bytes() == dlg.pdf
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(_audit(ctx.store, "export")) == 1
