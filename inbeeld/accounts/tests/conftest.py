"""The two-region world of the page matrix, shared with the API matrix."""

from inbeeld.accounts.tests.test_authorisation import world  # noqa: F401
