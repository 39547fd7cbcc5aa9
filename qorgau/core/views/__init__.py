"""Views of the core app."""
