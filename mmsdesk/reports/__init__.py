"""ReportLab documents built from DTOs. No Qt, no database, no clock."""
