"""The database refuses to delete audit entries, except for the retention of the trail itself.

Why: deleting the newest entries leaves a shorter hash chain that is still whole, so the
chain alone cannot show it. These triggers refuse DELETE on both SQLite and PostgreSQL, and
TRUNCATE on PostgreSQL (a statement-level trigger; TRUNCATE fires no DELETE trigger).

The one exception is the future retention of the audit trail (entries past their legal
keeping period), which must run inside `inbeeld.audit.services.audit_deletion_permitted()`:
- PostgreSQL: that block sets the transaction-local `inbeeld.audit_delete = 'retention'`,
  which the trigger reads with `current_setting('inbeeld.audit_delete', true)`.
- SQLite has no session settings: the trigger asks the SQL function
  `inbeeld_audit_delete_permitted()`, which InBeeld registers on every connection it opens
  (audit/receivers.py) and which answers from a Python context variable. A connection
  without that function (the sqlite3 shell) fails every DELETE: the guard fails closed.

What this cannot stop: anyone with the database owner's rights (or who can run arbitrary
SQL as the application) can set the flag or drop a trigger. That is what the checkpoints
detect (audit/checkpoint.py, `inbeeld audit verify`): entries removed up to the last
checkpoint are reported. Django rebuilds a SQLite table for some schema changes and the
rebuild loses its triggers; test_audit_trail.py fails if that ever happens to this table.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MESSAGE = "audit entries are not deleted, except by the retention of the audit trail"
SQLITE_CREATE = f"""
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
WHEN NOT inbeeld_audit_delete_permitted()
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_entry_no_delete;"
POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION audit_entry_no_delete() RETURNS trigger AS $$
BEGIN
  IF current_setting('inbeeld.audit_delete', true) IS DISTINCT FROM 'retention' THEN
    RAISE EXCEPTION '{MESSAGE}';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_delete();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_delete();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_no_delete();
"""


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(create, drop)]
