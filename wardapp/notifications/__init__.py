"""What a user is told: a record per user and notice (a return, the day's approvals, an urge, a
reminder, a decided explanation), the bell and list that show them, and the channels (Web
Push, e-mail) that carry them to the phone."""
