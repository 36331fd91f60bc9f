"""Many department-years at once: find datasets, check them with the one rule engine (locally or on
a Dask cluster), one findings table for all of them.
"""
