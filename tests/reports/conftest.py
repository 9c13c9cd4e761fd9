from __future__ import annotations

import pytest

from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _invariant_pdfs():
    """Reproducible PDFs (no creation time or random ids) while a test runs."""
    from reportlab import rl_config

    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before


@pytest.fixture
def doc_store(demo_store):
    """The demo practice with a pharmacist profile and a completed CMR for José Müller."""
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile

    ensure_profile(demo_store)
    visit = add_sample_visit(demo_store, 1, TODAY)
    return demo_store, 1, visit
