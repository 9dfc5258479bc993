"""Reusable pieces of the dashboard's pages."""
