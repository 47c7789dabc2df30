"""The composition root: which features run, and the `parley` command line."""
