"""The passages shown with each answer (the passage button shows exactly those, no second search), and when an
unanswered question was answered by an admin.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_log") as batch:
        batch.add_column(sa.Column("shown", sa.JSON, nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("question_log") as batch:
        batch.drop_column("resolved_at")
        batch.drop_column("shown")
