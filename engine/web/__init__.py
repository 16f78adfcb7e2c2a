"""The LAN host for phones: a Starlette app with WebSockets; every page renders the presentation
layer's views.
"""
