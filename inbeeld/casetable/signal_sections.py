"""The case table's part of a signal's page: the feedback to the reporter (feedback.py)."""

from __future__ import annotations

from inbeeld.casetable.feedback import feedback_context
from inbeeld.signals.sections import SignalSection, signal_section_register

signal_section_register(
    SignalSection(
        name="case-table-feedback",
        template="casetable/signal_feedback.html",
        context=feedback_context,
        order=10,
    )
)
