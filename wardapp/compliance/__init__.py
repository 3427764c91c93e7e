"""Compliance: which unit is behind on which task, on screen and in the files the city sends up.

``rules`` judges (pure functions), ``tally`` counts evidence with a few aggregate queries,
``services`` puts the two together as ``compliance_for(plan, period)``; the exports read the
same picture, so a number in a file is the number on the dashboard.
"""
