"""The canonical dataset on disk (``data/<slug>/<year>/``): written atomically, loaded with validation,
its source verified against its checksum; the project's folders and the narrative's segmentation.

Imports only ``budgetkit.core``.
"""
