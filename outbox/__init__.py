"""An email backend for `make run` and demos: every message the service sends is kept in the
database and can be read in the browser at /outbox/, with its attachments (the .ics files)."""
