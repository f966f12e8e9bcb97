"""Journey stages and touchpoints: an editable taxonomy, and tagging every segment with it."""
