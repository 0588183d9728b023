"""The application administrator's block on the home page (lib/home_blocks.py): the accounts
she administers that have no second factor yet, and those locked out now."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from inbeeld.accounts.access import users_administered_by
from inbeeld.accounts.lockout import lock_statuses
from inbeeld.accounts.models import User
from inbeeld.lib.home_blocks import HomeBlock, home_block_register

SHOWN = 20


def accounts_needing_attention(user: User) -> Mapping[str, Any]:
    accounts = users_administered_by(user).filter(is_active=True)
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    without = accounts.filter(~Exists(confirmed)).order_by("username")
    # Locks live in the login attempts (accounts/lockout.py), asked for all accounts at once.
    names = list(accounts.values_list("username", flat=True))
    locks = lock_statuses(names)
    locked = list(accounts.filter(username__in=list(locks)).order_by("username")[:SHOWN])
    return {
        "without_second_factor": list(without[:SHOWN]),
        "without_count": without.count(),
        "locked": [(account, locks[account.username]) for account in locked],
    }


home_block_register(
    HomeBlock(
        name="accounts-attention",
        permission="accounts.administer",
        template="accounts/home_accounts.html",
        context=accounts_needing_attention,
        order=50,
    )
)
