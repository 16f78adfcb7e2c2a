"""The presentation layer: what each role, team and room sees, as plain data (no pygame, no
network). Every front-end renders from it.
"""
