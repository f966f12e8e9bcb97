"""Language tools more than one step needs, below the steps, so no step imports another:

- ``words``: what a word is in each script (enrichment and theme labels split words alike);
- ``tokens``: the words rules match on and the trained spaCy pipeline that reads them
  (enrichment stores them per segment, the journey rules match their patterns on them).
"""
