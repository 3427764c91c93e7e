"""Reminders: a pass, as of a local moment, that tells units what is due (this week's item,
a deadline coming, a month or quarter ending short) and reviewers, on Mondays, what waits and
who is behind. Each reminder is kept once by its key, so a pass run again sends nothing twice.
"""
