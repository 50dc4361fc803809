"""Initial schema: specs, units, users, answers with history, evidence, hasil, readiness, question log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "spec_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("spec_version_id", sa.Integer, sa.ForeignKey("spec_versions.id"), nullable=False),
        sa.Column("predikat", sa.String(10)),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("telegram_id", sa.BigInteger, nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id")),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("question_id", sa.String(20), nullable=False),
        sa.Column("spec_version_id", sa.Integer, sa.ForeignKey("spec_versions.id"), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("unit_id", "question_id"),
    )
    op.create_table(
        "answer_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("question_id", sa.String(40), nullable=False),
        sa.Column("spec_version_id", sa.Integer, sa.ForeignKey("spec_versions.id"), nullable=False),
        sa.Column("old", sa.JSON),
        sa.Column("new", sa.JSON),
        sa.Column("actor", sa.BigInteger),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("at", TS, nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("question_id", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("uploaded_by", sa.BigInteger),
        sa.Column("at", TS, nullable=False),
    )
    op.create_table(
        "hasil_results",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("ipak", sa.Float),
        sa.Column("ipkp", sa.Float),
        sa.Column("capaian_kinerja", sa.String(1)),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "readiness",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("item_key", sa.String(40), primary_key=True),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("telegram_id", sa.BigInteger),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("abstained", sa.Boolean, nullable=False),
        sa.Column("top_source", sa.String(255), nullable=False, server_default=""),
        sa.Column("feedback", sa.Integer),
        sa.Column("at", TS, nullable=False),
    )
    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.JSON),
    )


def downgrade() -> None:
    for table in (
        "app_settings",
        "question_log",
        "readiness",
        "hasil_results",
        "evidence",
        "answer_history",
        "answers",
        "users",
        "units",
        "spec_versions",
    ):
        op.drop_table(table)
