"""The patient's chart: a header and one tab per page (see chart_page.CHART_PAGES)."""
