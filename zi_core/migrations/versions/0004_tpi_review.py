"""The TPI review: TPI members assigned to units, each unit's stage and round, and the TPI's verdict, note and the
unit's reply per question.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tpi_assignments",
        sa.Column("telegram_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
    )
    op.create_table(
        "unit_reviews",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("round", sa.Integer, nullable=False, server_default="0"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "review_items",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("question_id", sa.String(20), primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("tpi_value", sa.JSON),
        sa.Column("note", sa.Text),
        sa.Column("reply", sa.Text),
        sa.Column("reviewer", sa.BigInteger),
        sa.Column("round", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review_items")
    op.drop_table("unit_reviews")
    op.drop_table("tpi_assignments")
