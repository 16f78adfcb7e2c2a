"""A live session: rules + an injectable clock + the store, committed before anything is shown;
resume folds the stored log.
"""
