"""The store: the only package that speaks SQL. Sessions as append-only logs of steps, one
migration history; reports and the web host read and write through it.
"""
