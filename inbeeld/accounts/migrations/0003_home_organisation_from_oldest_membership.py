"""Give every existing account a home organisation: the organisation of its oldest membership.

The home organisation decides which region's administrators manage an account while it holds
no role (accounts/predicates.py). Accounts without any membership keep none: no web
administrator manages them until one is set on the command line.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def home_from_oldest_membership(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("accounts", "User")
    membership_model = apps.get_model("accounts", "Membership")
    for user in list(user_model.objects.filter(organisation__isnull=True)):
        oldest = membership_model.objects.filter(user=user).order_by("pk").first()
        if oldest is not None:
            user.organisation_id = oldest.organisation_id
            user.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_home_organisation"),
    ]

    # Going back needs no undo: reversing 0002 removes the field itself.
    operations = [migrations.RunPython(home_from_oldest_membership, migrations.RunPython.noop)]
