"""Setting up and watching the organisation: units and their merges, accounts by the file,
the audit record on screen. Above plans and auth, whose rows a merge or an import changes."""
