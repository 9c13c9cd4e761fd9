"""Every editable record has a version (team mode: two people, one chart).

Each table with an ``updated_at`` gains ``version`` (1 for every existing row). The ORM names
the version it read in every UPDATE and DELETE and writes the next one, so a save over a
version someone else saved meanwhile matches no row and is refused with who changed it and
when (``mmsdesk.store.conflicts``), never a silent overwrite.

Revision ID: 0007_record_versions
Revises: 0006_kept_from_sources
Create Date: 2026-12-04 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_record_versions"
down_revision: str | None = "0006_kept_from_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables of editable records at this revision (those with updated_at), named here rather
# than read from the models so that this migration never changes after its release.
VERSIONED = ("allergy", "caregiver", "condition", "drug_therapy_problem", "fill_record",
             "follow_up", "goal", "label_photo", "medication_entry", "mtm_offer", "observation",
             "patient", "pgx_result", "pharmacist_profile", "pharmacy", "prescriber",
             "recommendation", "service_offering", "text_translation", "visit")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                          server_default="1"))


def downgrade() -> None:
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
