"""Fixtures for the service tests."""

from __future__ import annotations

import pytest

from tests.services.visit_helpers import Chart, make_chart


@pytest.fixture
def chart(store) -> Chart:
    """A Part D patient with a prescriber and three medicines (see visit_helpers)."""
    return make_chart(store)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every service test that uses the store runs on SQLite and on PostgreSQL."""
    from tests.conftest import both_engines

    both_engines(metafunc)
