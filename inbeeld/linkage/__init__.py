"""Privacy-preserving record linkage: normalise, encode (partner side), link (hub side).

Framework-free on purpose (an import-linter contract forbids Django here): partners run
``inbeeld encode`` on their own premises without the web application, and the hub links
encodings from the CLI, a notebook or a Django service alike. See docs/linkage.md.
"""

from __future__ import annotations
