"""Following the plan up: a unit's explanation (giải trình) of a task it could not fulfil in
a period, decided by a reviewer, and the urges (đôn đốc) sent to units behind."""
