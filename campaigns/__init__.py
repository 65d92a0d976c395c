"""Newsletters, segments, subscriptions and consent, deliveries, tracking, outreach."""
