"""Staff UI of campaigns (Wagtail admin), registered from campaigns/wagtail_hooks.py."""
