"""Visits, problems, recommendations, goals, follow-ups, practice, audit, fills

Revision ID: 0002_visits_practice_audit
Revises: 0001_patient_record
Create Date: 2026-11-24 05:49:35.955726
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002_visits_practice_audit"
down_revision: str | None = "0001_patient_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("before_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("after_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "pharmacist_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("credentials", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("npi", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("practice_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("fax", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("hours", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("tty", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("pharmacist_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pharmacist_profile_uuid"), ["uuid"], unique=True)

    op.create_table(
        "service_offering",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("price", sa.Float(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("service_offering", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_offering_uuid"), ["uuid"], unique=True)

    op.create_table(
        "alert_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("acknowledged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("alert_acknowledgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_acknowledgement_alert_key"), ["alert_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alert_acknowledgement_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_alert_acknowledgement_uuid"), ["uuid"], unique=True)

    op.create_table(
        "fill_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("drug_text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("ingredients", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("fill_date", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("days_supply", sa.Integer(), nullable=False),
        sa.Column("pharmacy_id", sa.Integer(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pharmacy_id"], ["pharmacy.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("fill_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fill_record_fill_date"), ["fill_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_fill_record_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fill_record_uuid"), ["uuid"], unique=True)

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("modality", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("payer_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("current_step", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("draft_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("is_new_patient", sa.Boolean(), nullable=False),
        sa.Column("cpt_codes", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("amount_paid", sa.Float(), nullable=True),
        sa.Column("payment_method", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_uuid"), ["uuid"], unique=True)
        batch_op.create_index(batch_op.f("ix_visit_visit_date"), ["visit_date"], unique=False)

    op.create_table(
        "drug_therapy_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("cause", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("medications", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("alert_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("drug_therapy_problem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_drug_therapy_problem_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_drug_therapy_problem_status"), ["status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_drug_therapy_problem_uuid"), ["uuid"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_drug_therapy_problem_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("modality", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_visit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["done_visit_id"], ["visit.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_done"), ["done"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_uuid"), ["uuid"], unique=True)

    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("comparator", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["problem_id"], ["drug_therapy_problem.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_uuid"), ["uuid"], unique=True)

    op.create_table(
        "problem_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column(
            "prescriber_response", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["problem_id"], ["drug_therapy_problem.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("problem_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_problem_event_problem_id"), ["problem_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_problem_event_uuid"), ["uuid"], unique=True)

    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("intervention", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("prescriber_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_method", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("response_on", sa.Date(), nullable=True),
        sa.Column("response_note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["prescriber_id"], ["prescriber.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["problem_id"], ["drug_therapy_problem.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recommendation_problem_id"), ["problem_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recommendation_response"), ["response"], unique=False)
        batch_op.create_index(batch_op.f("ix_recommendation_uuid"), ["uuid"], unique=True)
        batch_op.create_index(batch_op.f("ix_recommendation_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_visit_id"))
        batch_op.drop_index(batch_op.f("ix_recommendation_uuid"))
        batch_op.drop_index(batch_op.f("ix_recommendation_response"))
        batch_op.drop_index(batch_op.f("ix_recommendation_problem_id"))
        batch_op.drop_index(batch_op.f("ix_recommendation_patient_id"))

    op.drop_table("recommendation")

    with op.batch_alter_table("problem_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problem_event_uuid"))
        batch_op.drop_index(batch_op.f("ix_problem_event_problem_id"))

    op.drop_table("problem_event")

    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_uuid"))
        batch_op.drop_index(batch_op.f("ix_goal_patient_id"))

    op.drop_table("goal")

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_uuid"))
        batch_op.drop_index(batch_op.f("ix_follow_up_patient_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_due_on"))
        batch_op.drop_index(batch_op.f("ix_follow_up_done"))

    op.drop_table("follow_up")

    with op.batch_alter_table("drug_therapy_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drug_therapy_problem_visit_id"))
        batch_op.drop_index(batch_op.f("ix_drug_therapy_problem_uuid"))
        batch_op.drop_index(batch_op.f("ix_drug_therapy_problem_status"))
        batch_op.drop_index(batch_op.f("ix_drug_therapy_problem_patient_id"))

    op.drop_table("drug_therapy_problem")

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_visit_date"))
        batch_op.drop_index(batch_op.f("ix_visit_uuid"))
        batch_op.drop_index(batch_op.f("ix_visit_status"))
        batch_op.drop_index(batch_op.f("ix_visit_patient_id"))

    op.drop_table("visit")

    with op.batch_alter_table("fill_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fill_record_uuid"))
        batch_op.drop_index(batch_op.f("ix_fill_record_patient_id"))
        batch_op.drop_index(batch_op.f("ix_fill_record_fill_date"))

    op.drop_table("fill_record")

    with op.batch_alter_table("alert_acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_acknowledgement_uuid"))
        batch_op.drop_index(batch_op.f("ix_alert_acknowledgement_patient_id"))
        batch_op.drop_index(batch_op.f("ix_alert_acknowledgement_alert_key"))

    op.drop_table("alert_acknowledgement")

    with op.batch_alter_table("service_offering", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_offering_uuid"))

    op.drop_table("service_offering")

    with op.batch_alter_table("pharmacist_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pharmacist_profile_uuid"))

    op.drop_table("pharmacist_profile")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_patient_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
