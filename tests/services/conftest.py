"""Fixtures for the service tests."""

from __future__ import annotations

import pytest

from tests.services.visit_helpers import Chart, make_chart


@pytest.fixture
def chart(store) -> Chart:
    """A Part D patient with a prescriber and three medicines (see visit_helpers)."""
    return make_chart(store)
