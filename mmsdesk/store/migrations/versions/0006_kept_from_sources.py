"""What comes in is kept, and what the documents need is stored once.

- Allergies keep the source's category and criticality (FHIR AllergyIntolerance).
- A pharmacy fill keeps the NDC, Rx number, prescriber name and NPI and the sig that the
  pharmacy's file gave; a pharmacy gains its NCPDP id.
- The text the pharmacist writes in the patient's language (``text_translation``), keyed by
  the English text it renders.
- The offer of a comprehensive medication review (``mtm_offer``), which CMS asks plans to report.
- A photo of a pharmacy label kept with the list line it was read into (``label_photo``).

Revision ID: 0006_kept_from_sources
Revises: 0005_documents_billing_delivery
Create Date: 2026-12-04 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_kept_from_sources"
down_revision: str | None = "0005_documents_billing_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
ALLERGY_COLUMNS = (("category", 64), ("criticality", 24))
FILL_COLUMNS = (("ndc", 11), ("rx_number", 32), ("prescriber_name", 200),
                ("prescriber_npi", 10), ("sig", 500))


def _add_text(table: str, columns: tuple[tuple[str, int], ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, length in columns:
            batch_op.add_column(sa.Column(name, _TEXT(length=length), nullable=False,
                                          server_default=""))


def _drop(table: str, columns: tuple[tuple[str, int], ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, _length in reversed(columns):
            batch_op.drop_column(name)


# The models' aware UTC times: the same DATETIME in SQLite, TIMESTAMP WITH TIME ZONE in
# PostgreSQL (a plain sa.DateTime() there would differ from the models).
_UTC = sqlmodel.sql.sqltypes.UTCDateTime


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", _UTC(), nullable=False),
            sa.Column("updated_at", _UTC(), nullable=False)]


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_uuid"), ["uuid"], unique=True)
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    _add_text("allergy", ALLERGY_COLUMNS)
    _add_text("fill_record", FILL_COLUMNS)
    _add_text("pharmacy", (("ncpdp", 7),))
    op.create_table(
        "text_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", _TEXT(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("language", _TEXT(length=8), nullable=False),
        sa.Column("source_text", _TEXT(length=1000), nullable=False),
        sa.Column("text", _TEXT(length=1000), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id", "language", "source_text",
                            name="uq_text_translation_source"),
    )
    _indexes("text_translation", "patient_id")
    op.create_table(
        "mtm_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", _TEXT(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("method", _TEXT(length=16), nullable=False),
        sa.Column("plan_name", _TEXT(length=200), nullable=False),
        sa.Column("notes", _TEXT(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("mtm_offer", "patient_id", "offered_on")
    op.create_table(
        "label_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", _TEXT(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("line_key", _TEXT(length=64), nullable=False),
        sa.Column("mime", _TEXT(length=32), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("read_text", _TEXT(), nullable=False),
        sa.Column("taken_at", _UTC(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("label_photo", "patient_id", "visit_id")


def downgrade() -> None:
    for table in ("label_photo", "mtm_offer", "text_translation"):
        op.drop_table(table)
    _drop("pharmacy", (("ncpdp", 7),))
    _drop("fill_record", FILL_COLUMNS)
    _drop("allergy", ALLERGY_COLUMNS)
