"""The visit wizard (issue 8): one QWizard per visit over a Qt-free VisitDraft."""
