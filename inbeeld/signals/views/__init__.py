"""The signal pages, one module per part: the public meldpunt (public), staff intake
(intake), the queue and a signal's page (queue, page), and the panels that post to their own
views (triage: notes, assignments, tips, the case table; consent; merge)."""
