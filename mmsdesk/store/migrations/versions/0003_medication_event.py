"""Medication history: started, changed, held, resumed, stopped, with date and reason

Revision ID: 0003_medication_event
Revises: 0002_visits_practice_audit
Create Date: 2026-11-24 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_medication_event"
down_revision: str | None = "0002_visits_practice_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "medication_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("medication_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["medication_id"], ["medication_entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("medication_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_medication_event_medication_id"), ["medication_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_medication_event_patient_id"), ["patient_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_medication_event_uuid"), ["uuid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("medication_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_event_uuid"))
        batch_op.drop_index(batch_op.f("ix_medication_event_patient_id"))
        batch_op.drop_index(batch_op.f("ix_medication_event_medication_id"))
    op.drop_table("medication_event")
