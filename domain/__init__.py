"""The domain vocabulary shared by features and storage; it imports neither."""
