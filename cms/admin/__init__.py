"""Staff UI (Wagtail admin) for the employer portal: the request queue, job
opportunities, proposed changes, access requests and invitations, and the report of
pages lacking a translation. cms/wagtail_hooks.py imports the modules."""
