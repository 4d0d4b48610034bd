"""One module per verb of the ``l10n`` command: ``run_<verb>(...) -> <Verb>Report``.

The command line calls these; nothing in the library below imports them.
"""
