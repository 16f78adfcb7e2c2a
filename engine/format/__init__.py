"""Scenario format: YAML with positions (yamlsource), the pydantic model, semantic checks,
the loader's front door, and the validated, indexed Scenario. The bottom layer: imports nothing
else of the engine.
"""
