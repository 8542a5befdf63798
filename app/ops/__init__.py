"""The IT officer's operations: backup, verify, restore, upgrade and status (`esaraban ...`)."""
