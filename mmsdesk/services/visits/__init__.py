"""The care process of one visit, step by step (Pharmacists' Patient Care Process, JCPP 2014).

    draft.py           the visit in progress as plain data (what the wizard edits, autosaved)
    reconciliation.py  Collect: lists from several sources compared with the chart, by ingredient
    working_list.py    the chart's list with the reconciliation decisions applied
    checks.py          what each step needs before the visit can go on or be completed
    complete.py        completing: the draft becomes rows, in one transaction
    service.py         VisitService: start, autosave, resume, complete, replies between visits
    reads.py, rows.py  what the screens read about visits, as plain rows
"""
