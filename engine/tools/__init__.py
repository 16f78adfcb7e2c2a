"""Organizer tools over the rules: verify (every interleaving), bots and simulate, the balance
lint, the scenario map and the `new` template.
"""
