"""Compliance: which unit is behind on which task, on screen and in the files the city sends up.

``periods`` and ``rules`` judge (pure functions: dates and counts in, verdicts out), ``tally``
counts evidence with one aggregate query, ``services.compliance_for(plan, period)`` puts the
two together. The dashboard, a unit's page, the officer's home and every export (``export_*``)
read that one picture, so a number in a file is the number on the screen. ``settings`` holds
the reviewer-set rule parameters (audited).
"""
