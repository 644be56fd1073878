"""An invented, mid-sized authority for demonstrations: load.py is the entry point
(`manage.py load_demo_data`)."""
