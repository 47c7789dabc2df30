"""Discussion topics shipped with Parley: articles and their metadata as package data."""
