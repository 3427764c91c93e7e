"""The reviewer's queue and decisions: approve, return with a reason, in bulk, fairly."""
