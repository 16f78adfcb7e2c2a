"""Figures from stored logs: one session's metrics and a cohort's, all recomputed by folding
events with the rules.
"""
