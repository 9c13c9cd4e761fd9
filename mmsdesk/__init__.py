"""MMS Desk: offline medication management services for the independent pharmacist."""

__version__ = "0.1.0"
APP_NAME = "MMS Desk"
