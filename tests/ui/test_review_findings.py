"""The per-medicine review's "No" answers are offered as findings beside the screening alerts
(#20 item 3): no indication is "unnecessary drug therapy", not adherent "adherence"; the
description names the medicine and the finding, and the pharmacist can change both."""

from __future__ import annotations

from tests.ui.test_visit_wizard import demo_window, johnson, pick, start_cmr, type_into  # noqa: F401


def test_review_no_answers_become_problems(qtbot, demo_window, demo_store, johnson):  # noqa: F811
    wizard = start_cmr(qtbot, demo_window, johnson)
    page = wizard.page_for("assess")
    page.tabs.setCurrentWidget(page.review_tab)
    keys = list(page.review_widgets)
    (boxes0, _n0), (boxes1, note1) = page.review_widgets[keys[0]], page.review_widgets[keys[1]]
    boxes0[0].setCurrentIndex(boxes0[0].findData("no"))  # indication: no
    boxes1[3].setCurrentIndex(boxes1[3].findData("no"))  # adherent: no
    note1.setText("skips it on weekends")
    note1.textEdited.emit("skips it on weekends")
    page.tabs.setCurrentWidget(page.problems_panel)
    panel = page.problems_panel
    findings = {a.kind: a for a in panel.alerts if a.rule_id.startswith("review-")}
    assert set(findings) == {"no-indication", "adherence"}
    p1 = panel.problem_from_alert(findings["no-indication"].key)
    p2 = panel.problem_from_alert(findings["adherence"].key)
    assert p1.category == "unnecessary_drug_therapy"
    assert p1.description.endswith(": no indication found at the review")
    assert p2.category == "adherence" and p2.cause.endswith("skips it on weekends")
    # the pharmacist changes both
    panel.table.selectRow(0)
    pick(qtbot, panel.category, "Needs additional drug therapy")
    type_into(qtbot, panel.description, " (started for a past problem)")
    assert p1.category == "needs_additional_therapy"
    assert p1.description.endswith("(started for a past problem)")
