"""The suite's shared personas: one world with a person per role in each of two regions.

Like healthchecks' ``hc/test.py``: a permission test asks the world for "the zorgcoördinator
of region A" instead of making its own accounts, so that every authorisation test speaks of
the same people and a new role or region shows up everywhere at once.

- Region A is Zeeland (VR19), region B is IJsselland (VR04).
- ``world.user(role, "A")``: the person with that role in region A's staff organisation.
- ``world.reporter("A")``: a chain partner of another organisation in A (``world.partner``)
  who reported ``world.signal("A")``; the staff of A neither reported it nor are assigned.
- ``world.two_regions``: one account, zorgcoördinator in A and chain partner in B.

Everything is made when first asked for (a test pays only for the people it meets) and
built with the factories and the services, never copied from production-like data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role, User
from inbeeld.testing.factories import MembershipFactory, OrganisationFactory, region, staff_user

if TYPE_CHECKING:
    from inbeeld.insight.models import LinkageRun
    from inbeeld.signals.models import Signal

Letter = str  # "A" or "B"
REGION_CODES: dict[str, str] = {"A": "VR19", "B": "VR04"}
# A municipality of each region, where the world's signals take place.
MUNICIPALITY_CODES: dict[str, str] = {"A": "GM0664", "B": "GM0193"}
ALL_ROLES: list[str] = list(Role.values)


class World:
    """Two regions with their people; each made once, when a test first asks for it."""

    def __init__(self) -> None:
        self._staff_organisations: dict[str, Organisation] = {}
        self._partners: dict[str, Organisation] = {}
        self._users: dict[tuple[str, str], User] = {}
        self._reporters: dict[str, User] = {}
        self._signals: dict[str, Signal] = {}
        self._runs: dict[str, LinkageRun] = {}
        self._two_regions: User | None = None

    @staticmethod
    def region_code(letter: Letter) -> str:
        return REGION_CODES[letter]

    def organisation(self, letter: Letter = "A") -> Organisation:
        """The organisation in which the region's personas work."""
        if letter not in self._staff_organisations:
            self._staff_organisations[letter] = OrganisationFactory.create(
                region=region(REGION_CODES[letter]), name=f"Zorgorganisatie {letter}"
            )
        return self._staff_organisations[letter]

    def partner(self, letter: Letter = "A") -> Organisation:
        """Another organisation of the region: the one that reports the world's signal."""
        if letter not in self._partners:
            self._partners[letter] = OrganisationFactory.create(
                region=region(REGION_CODES[letter]),
                name=f"Politie {letter}",
                type=OrganisationType.POLICE,
            )
        return self._partners[letter]

    def user(self, role: str, letter: Letter = "A") -> User:
        """The person with ``role`` in region ``letter`` (username ``role.a`` / ``role.b``)."""
        key = (role, letter)
        if key not in self._users:
            self._users[key] = staff_user(
                role=role,
                organisation=self.organisation(letter),
                username=f"{role}.{letter.lower()}",
            )
        return self._users[key]

    def reporter(self, letter: Letter = "A") -> User:
        """The partner's chain partner, who reported ``signal(letter)``."""
        if letter not in self._reporters:
            self._reporters[letter] = staff_user(
                role=Role.KETENPARTNER,
                organisation=self.partner(letter),
                username=f"melder.{letter.lower()}",
            )
        return self._reporters[letter]

    def membership(self, letter: Letter = "A") -> Membership:
        return self.reporter(letter).memberships.get()

    @property
    def two_regions(self) -> User:
        """One account with a role in each region: zorgcoördinator in A, chain partner in B."""
        if self._two_regions is None:
            account = staff_user(
                role=Role.ZORGCOORDINATOR,
                organisation=self.organisation("A"),
                username="twee.regios",
            )
            MembershipFactory.create(
                user=account, organisation=self.organisation("B"), role=Role.KETENPARTNER
            )
            self._two_regions = account
        return self._two_regions

    def signal(self, letter: Letter = "A") -> Signal:
        """A signal in region ``letter``, reported by ``reporter(letter)`` through the service."""
        if letter not in self._signals:
            from inbeeld.regions.models import Municipality
            from inbeeld.signals.services import SignalInput, signal_create_partner

            reporter = self.reporter(letter)
            signal, _new = signal_create_partner(
                data=SignalInput(
                    municipality=Municipality.objects.get(code=MUNICIPALITY_CODES[letter]),
                    description="Testsignaal.",
                ),
                by=reporter,
                organisation=self.partner(letter),
            )
            self._signals[letter] = signal
        return self._signals[letter]

    def run(self, letter: Letter = "A") -> LinkageRun:
        """A finished linkage run of region ``letter`` (no estimate yet)."""
        if letter not in self._runs:
            from inbeeld.insight.models import LinkageRun

            self._runs[letter] = LinkageRun.objects.create(
                region=region(REGION_CODES[letter]),
                year=2025,
                created_by=self.reporter(letter),
                sources=["politie", "opvang"],
                threshold=0.8,
                threshold_estimated=True,
                histories=[[[1, 0], 5], [[0, 1], 3], [[1, 1], 2]],
                estimation=None,
            )
        return self._runs[letter]
