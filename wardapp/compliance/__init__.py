"""Compliance: which unit is behind on which task, on screen and in the files the city sends up.

- ``rules``: how a task's "when" is judged (pure: dates and counts in, verdicts out), over the
  periods of ``core.periods``.
- ``counting``: the evidence a picture counts, counted with one aggregate query.
- ``picture``: ``compliance_for(plan, period)``, the matrix every page and file reads, so a
  number in a file is the number on the screen; ``progress``: one unit's side of it.
- ``scoring``: the rule parameters a reviewer sets (audited), with its form and page.
- ``views``, ``chart``, ``choice``: the dashboard, a cell, a unit's page and which period they show.
- ``exports``: the XLSX workbook, the CSV, the DOCX report and the ZIP of photos.
"""
