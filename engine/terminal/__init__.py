"""The terminal front-end (text mode): scriptable from stdin."""
