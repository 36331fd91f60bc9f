"""Kernels that run the notebooks talk to their client over encrypted ZeroMQ (CurveZMQ keys provisioned by
the kernel manager), so no kernel warns "running over TCP without encryption" into a run's output.

``transport_encryption = "auto"`` encrypts whenever the kernel spec declares CurveZMQ support (ipykernel's
do) and otherwise starts the kernel as before. Used by ``budgetkit run`` (papermill), the notebook refresh
(nbclient) and JupyterLab (``make lab``); nbval sends its kernels' stderr to /dev/null itself.
"""

from __future__ import annotations

ENCRYPTION = "auto"


def kernel_config():
    """A traitlets Config for papermill / nbclient: their kernel managers provision CurveZMQ keys."""
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport_encryption = ENCRYPTION
    return config
