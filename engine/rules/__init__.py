"""The rules: a session's State folded from its events (state) and the pure step function that
turns an action into events (step). No I/O, no clock, no store.
"""
