# The audit record is not in the Django admin: it is read on the audit page (/audit/) and
# never changed or deleted by anyone.
