"""Language tools more than one step needs (what a word is in each script), below the steps:
enrichment and theme labels split words the same way without one step importing the other."""
