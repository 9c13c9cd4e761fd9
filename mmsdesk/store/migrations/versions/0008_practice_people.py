"""The people of a practice and the charts they take along; a follow-up's Good Faith Estimate.

- ``person``: each person of a practice (pharmacist or technician) with their own passphrase
  (scrypt hash only), for team mode's sign-in and the audit trail's names.
- ``patient_hold``: a chart taken along on a laptop by one person, until brought back or
  released (with who released it and why).
- ``follow_up`` gains the Good Faith Estimate issued for the planned service (it was kept in
  the planning visit's estimate, for want of these columns).

Revision ID: 0008_practice_people
Revises: 0007_record_versions
Create Date: 2026-12-04 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_practice_people"
down_revision: str | None = "0007_record_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_UTC = sqlmodel.sql.sqltypes.UTCDateTime  # the models' aware UTC times (see 0006)


def _record_columns() -> list[sa.Column]:
    return [sa.Column("created_at", _UTC(), nullable=False),
            sa.Column("updated_at", _UTC(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1")]


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", _TEXT(length=36), nullable=False),
        sa.Column("login", _TEXT(length=64), nullable=False),
        sa.Column("name", _TEXT(length=200), nullable=False),
        sa.Column("role", _TEXT(length=16), nullable=False),
        sa.Column("credentials", _TEXT(length=50), nullable=False),
        sa.Column("npi", _TEXT(length=10), nullable=False),
        sa.Column("passphrase_hash", _TEXT(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_uuid"), ["uuid"], unique=True)
        batch_op.create_index(batch_op.f("ix_person_login"), ["login"], unique=True)
    op.create_table(
        "patient_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", _TEXT(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("holder_name", _TEXT(length=200), nullable=False),
        sa.Column("device", _TEXT(length=200), nullable=False),
        sa.Column("taken_at", _UTC(), nullable=False),
        sa.Column("until", _UTC(), nullable=True),
        sa.Column("released_at", _UTC(), nullable=True),
        sa.Column("released_by", _TEXT(length=200), nullable=False),
        sa.Column("release_reason", _TEXT(length=400), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patient_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_hold_uuid"), ["uuid"], unique=True)
        for column in ("patient_id", "person_id", "released_at"):
            batch_op.create_index(batch_op.f(f"ix_patient_hold_{column}"), [column],
                                  unique=False)
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("estimate_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("estimate_json", _TEXT(), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("estimate_json")
        batch_op.drop_column("estimate_issued_on")
    op.drop_table("patient_hold")
    op.drop_table("person")
