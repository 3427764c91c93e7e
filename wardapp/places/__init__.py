"""Places where the plan's physical work happens: panels on the medians, loudspeaker
stations, notice boards, one-stop desks. Each belongs to a unit and has its coordinates, so a
photo can be checked against where it should have been taken. Below evidence (an item records
its place), above units and plans (a place belongs to a unit; tasks' place lists seed them)."""
