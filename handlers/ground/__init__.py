"""Common ground: agree / disagree / pass on short statements, opinion groups and consensus."""
