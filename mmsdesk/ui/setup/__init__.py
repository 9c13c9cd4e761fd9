"""First-run set-up wizard and the Settings dialog."""
