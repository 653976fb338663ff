"""How an export runs: in a limited child process per call, on a warm pool of them, or on many local
processes for a batch. The doors (CLI, web UI, queue workers) call these and create no process."""

from .celery_pool import allow_export_processes
from .child import ExportJob, run_isolated
from .exports import export, export_set
from .limits import ExportLimits
from .memory import AddressSpace, address_space
from .pool import run_on_pool
from .warming import warm_engines

__all__ = [
    "AddressSpace",
    "ExportJob",
    "ExportLimits",
    "address_space",
    "allow_export_processes",
    "export",
    "export_set",
    "run_isolated",
    "run_on_pool",
    "warm_engines",
]
