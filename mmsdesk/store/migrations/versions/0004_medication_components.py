"""A medication is a set of components: each ingredient with its own amount. Names are derived.

Every medication row becomes components read from what was stored: the strength last set (by
the pharmacist or a visit) and the text as first given. Where they disagree with no recorded
change of strength, or a strength cannot be read, the amounts stay empty or as written and the
medicine is flagged (``strength_to_confirm``) for the pharmacist to confirm in the chart. The
stored copies of names (``display_name``, ``product``, ``strength``, ``ingredients``) are dropped:
names are built from the components when shown. Release (extended/delayed) is split from the form.
History events gain what changed and on whose decision. A recommendation gains the change it
proposes to the list (the medicine concerned, the proposed medicine, strength and directions) and
the day that change was applied.

Revision ID: 0004_medication_components
Revises: 0003_medication_event
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004_medication_components"
down_revision: str | None = "0003_medication_event"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "medication_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("medication_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ingredient", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("per_amount", sa.Float(), nullable=True),
        sa.Column("per_unit", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["medication_id"], ["medication_entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("medication_component", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_medication_component_medication_id"),
                              ["medication_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_medication_component_uuid"), ["uuid"], unique=True)
    with op.batch_alter_table("medication_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changes", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default="pharmacist"))
    with op.batch_alter_table("medication_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release", sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("strength_to_confirm", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    _components_from_stored_text(op.get_bind())

    with op.batch_alter_table("medication_entry", schema=None) as batch_op:
        batch_op.drop_column("display_name")
        batch_op.drop_column("ingredients")
        batch_op.drop_column("product")
        batch_op.drop_column("strength")
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("medication_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("proposed_medicine",
                                      sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("proposed_strength",
                                      sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("proposed_directions",
                                      sqlmodel.sql.sqltypes.AutoString(length=1000),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("applied_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key("fk_recommendation_medication_id", "medication_entry",
                                    ["medication_id"], ["id"], ondelete="SET NULL")
    for table, columns in (("medication_entry", ("release", "strength_to_confirm")),
                           ("medication_event", ("changes", "decided_by")),
                           ("recommendation", ("proposed_medicine", "proposed_strength",
                                               "proposed_directions"))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)


def _components_from_stored_text(conn: sa.engine.Connection) -> None:
    from mmsdesk.clinical.dictionary.legacy import components_from_legacy

    has_events = sa.inspect(conn).has_table("medication_event")
    changed_strength: set[int] = set()
    if has_events:
        # the pattern as a bound value: a literal '%' is a placeholder to PostgreSQL's driver
        changed_strength = {r[0] for r in conn.execute(sa.text(
            "SELECT medication_id FROM medication_event WHERE action = 'changed' "
            "AND lower(reason) LIKE :pattern"), {"pattern": "%strength%"})}
    rows = conn.exec_driver_sql(
        "SELECT id, text_given, display_name, ingredients, strength, dose_form, match, "
        "rxnorm_code FROM medication_entry").fetchall()
    comp = sa.table("medication_component", sa.column("uuid"), sa.column("medication_id"),
                    sa.column("position"), sa.column("ingredient"), sa.column("amount"),
                    sa.column("unit"), sa.column("per_amount"), sa.column("per_unit"))
    import uuid

    for mid, text, display, ingredients, strength, form, match, rxnorm in rows:
        read = components_from_legacy(
            text_given=text or "", display_name=display or "", ingredients=ingredients or "",
            strength=strength or "", dose_form=form or "", match=match or "unrecognised",
            rxnorm=rxnorm or "", strength_was_changed=mid in changed_strength)
        conn.execute(sa.text(
            "UPDATE medication_entry SET dose_form = :form, release = :release, "
            "strength_to_confirm = :flag WHERE id = :id"),
            {"form": read.dose_form[:100], "release": read.release, "flag": read.to_confirm,
             "id": mid})
        for pos, c in enumerate(read.components):
            conn.execute(comp.insert().values(
                uuid=str(uuid.uuid4()), medication_id=mid, position=pos,
                ingredient=c.ingredient[:300], amount=c.amount, unit=c.unit,
                per_amount=c.per_amount, per_unit=c.per_unit))


def downgrade() -> None:
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_recommendation_medication_id", type_="foreignkey")
        batch_op.drop_column("applied_on")
        batch_op.drop_column("proposed_directions")
        batch_op.drop_column("proposed_strength")
        batch_op.drop_column("proposed_medicine")
        batch_op.drop_column("medication_id")
    with op.batch_alter_table("medication_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("strength", sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("product", sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("ingredients", sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("display_name",
                                      sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=False, server_default=""))
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":  # group_concat is SQLite's; string_agg orders itself
        conn.exec_driver_sql(
            "UPDATE medication_entry SET ingredients = coalesce((SELECT string_agg(ingredient, "
            "';' ORDER BY position) FROM medication_component c WHERE c.medication_id = "
            "medication_entry.id), '') WHERE match != 'unrecognised'")
    else:
        conn.exec_driver_sql(
            "UPDATE medication_entry SET ingredients = coalesce((SELECT group_concat(ingredient, "
            "';') FROM (SELECT ingredient FROM medication_component c WHERE c.medication_id = "
            "medication_entry.id ORDER BY position)), '') WHERE match != 'unrecognised'")
    conn.exec_driver_sql(
        "UPDATE medication_entry SET dose_form = release || ' release ' || dose_form "
        "WHERE release != ''")
    with op.batch_alter_table("medication_entry", schema=None) as batch_op:
        batch_op.drop_column("strength_to_confirm")
        batch_op.drop_column("release")
    with op.batch_alter_table("medication_event", schema=None) as batch_op:
        batch_op.drop_column("decided_by")
        batch_op.drop_column("changes")
    with op.batch_alter_table("medication_component", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_component_uuid"))
        batch_op.drop_index(batch_op.f("ix_medication_component_medication_id"))
    op.drop_table("medication_component")
