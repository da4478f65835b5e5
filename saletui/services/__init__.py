"""Use cases that combine the store and the method (exports, briefs, imports).

Nothing here knows about Textual: the UI and the command line both call these functions
with an opened database.
"""
