"""Running the product: the ``budgetkit`` command, run parameters (``params/*.yaml``), the papermill
runner and refreshing the committed notebooks.

The top of the house: it may import every other stage, none imports it.
"""
