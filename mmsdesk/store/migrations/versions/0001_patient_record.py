"""Patients, care team, clinical record and medication list

Revision ID: 0001_patient_record
Revises:
Create Date: 2026-11-24 05:49:35.955726
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001_patient_record"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("middle_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("preferred_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "preferred_language", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address_line1", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address_line2", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("payer_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("plan_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("payer_other", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("mtm_enrolled_on", sa.Date(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("deceased_date", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_date_of_birth"), ["date_of_birth"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_patient_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_patient_uuid"), ["uuid"], unique=True)

    op.create_table(
        "pharmacy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("fax", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("npi", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("pharmacy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pharmacy_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_pharmacy_uuid"), ["uuid"], unique=True)

    op.create_table(
        "prescriber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("credentials", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("npi", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("practice", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("specialty", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("fax", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("prescriber", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prescriber_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_prescriber_npi"), ["npi"], unique=False)
        batch_op.create_index(batch_op.f("ix_prescriber_uuid"), ["uuid"], unique=True)

    op.create_table(
        "allergy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("substance", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("substance_code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reaction", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("recorded_date", sa.Date(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("allergy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allergy_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allergy_uuid"), ["uuid"], unique=True)

    op.create_table(
        "caregiver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("relationship", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("is_emergency_contact", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("caregiver", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_caregiver_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_caregiver_uuid"), ["uuid"], unique=True)

    op.create_table(
        "condition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("icd10_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("snomed_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("onset_date", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("condition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_condition_uuid"), ["uuid"], unique=True)

    op.create_table(
        "medication_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("text_given", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("ingredients", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("rxnorm_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("product", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("brand", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("strength", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("dose_form", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("route", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("match", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("directions", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("dose_amount", sa.Float(), nullable=True),
        sa.Column("dose_unit", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("frequency", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("times_of_day", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("as_needed", sa.Boolean(), nullable=False),
        sa.Column("as_needed_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("indication", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("prescriber_id", sa.Integer(), nullable=True),
        sa.Column("pharmacy_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("started", sa.Date(), nullable=True),
        sa.Column("stopped", sa.Date(), nullable=True),
        sa.Column("stop_reason", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("part_d", sa.Boolean(), nullable=False),
        sa.Column("annual_cost", sa.Float(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pharmacy_id"], ["pharmacy.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["prescriber_id"], ["prescriber.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("medication_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medication_entry_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_medication_entry_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_medication_entry_uuid"), ["uuid"], unique=True)

    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("loinc", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_measure"), ["measure"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_taken_on"), ["taken_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_uuid"), ["uuid"], unique=True)

    op.create_table(
        "patient_pharmacy",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("pharmacy_id", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pharmacy_id"], ["pharmacy.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patient_id", "pharmacy_id"),
    )

    op.create_table(
        "patient_prescriber",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("prescriber_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("is_primary_care", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["prescriber_id"], ["prescriber.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patient_id", "prescriber_id"),
    )

    op.create_table(
        "pgx_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("gene", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("diplotype", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phenotype", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("test_date", sa.Date(), nullable=True),
        sa.Column("lab", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("pgx_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pgx_result_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pgx_result_uuid"), ["uuid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("pgx_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pgx_result_uuid"))
        batch_op.drop_index(batch_op.f("ix_pgx_result_patient_id"))

    op.drop_table("pgx_result")

    op.drop_table("patient_prescriber")

    op.drop_table("patient_pharmacy")

    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_uuid"))
        batch_op.drop_index(batch_op.f("ix_observation_taken_on"))
        batch_op.drop_index(batch_op.f("ix_observation_patient_id"))
        batch_op.drop_index(batch_op.f("ix_observation_measure"))

    op.drop_table("observation")

    with op.batch_alter_table("medication_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_entry_uuid"))
        batch_op.drop_index(batch_op.f("ix_medication_entry_status"))
        batch_op.drop_index(batch_op.f("ix_medication_entry_patient_id"))

    op.drop_table("medication_entry")

    with op.batch_alter_table("condition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_uuid"))
        batch_op.drop_index(batch_op.f("ix_condition_patient_id"))

    op.drop_table("condition")

    with op.batch_alter_table("caregiver", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_caregiver_uuid"))
        batch_op.drop_index(batch_op.f("ix_caregiver_patient_id"))

    op.drop_table("caregiver")

    with op.batch_alter_table("allergy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allergy_uuid"))
        batch_op.drop_index(batch_op.f("ix_allergy_patient_id"))

    op.drop_table("allergy")

    with op.batch_alter_table("prescriber", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prescriber_uuid"))
        batch_op.drop_index(batch_op.f("ix_prescriber_npi"))
        batch_op.drop_index(batch_op.f("ix_prescriber_last_name"))

    op.drop_table("prescriber")

    with op.batch_alter_table("pharmacy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pharmacy_uuid"))
        batch_op.drop_index(batch_op.f("ix_pharmacy_name"))

    op.drop_table("pharmacy")

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_uuid"))
        batch_op.drop_index(batch_op.f("ix_patient_last_name"))
        batch_op.drop_index(batch_op.f("ix_patient_date_of_birth"))

    op.drop_table("patient")
