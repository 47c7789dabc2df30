"""Feature tours: each feature used end to end through each real platform adapter."""
