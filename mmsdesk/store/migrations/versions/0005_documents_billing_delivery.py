"""Documents people can use: billing codes, who received the documents, the Good Faith Estimate.

A visit gains the ICD-10-CM codes it addressed (as billed), who received its documents
(patient, caregiver with name and relation, prescriber) and how and when (in person, mail,
portal, fax), and the Good Faith Estimate given to a self-pay patient (the day and its lines,
as issued). The pharmacist profile gains the practice's tax id, which claims and estimates print.

Revision ID: 0005_documents_billing_delivery
Revises: 0004_medication_components
Create Date: 2026-12-04 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_documents_billing_delivery"
down_revision: str | None = "0004_medication_components"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
VISIT_COLUMNS = (
    ("diagnosis_codes", 200), ("recipient", 16), ("recipient_name", 200),
    ("recipient_relation", 100), ("delivery_method", 16),
)


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        for name, length in VISIT_COLUMNS:
            batch_op.add_column(sa.Column(name, _TEXT(length=length), nullable=False,
                                          server_default=""))
        batch_op.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("estimate_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("estimate_json", _TEXT(), nullable=False,
                                      server_default=""))
    with op.batch_alter_table("pharmacist_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tin", _TEXT(length=20), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("pharmacist_profile", schema=None) as batch_op:
        batch_op.drop_column("tin")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("estimate_json")
        batch_op.drop_column("estimate_issued_on")
        batch_op.drop_column("delivered_on")
        for name, _length in reversed(VISIT_COLUMNS):
            batch_op.drop_column(name)
