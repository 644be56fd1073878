"""A synthetic authority ten times Lancashire's size for `make bench` and the query-count test:
synthetic.py tells each family's story, records.py writes its rows, loader.py loads them fast."""
